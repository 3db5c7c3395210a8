"""SQS benchmark (issue 12), everything against one moto server in the same run (moto, a Python
server, is the bottleneck: the ratios show bindery's overhead, not AWS's):

- output: `create` through bindery's HTTP API under wrk (32 connections) versus the same
  SendMessage from boto3 (32 threads, a client each) and from curl with --aws-sigv4 (32 in
  parallel);
- input: N messages in a queue drained by bindery's sqs input binding into a trivial app
  (nginx answering 200), versus a boto3 consumer making the same calls (ReceiveMessage of up
  to 10, then DeleteMessage for each) with no app.

    python3 bench/aws_sqs.py [--seconds 10] [--messages 2000]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import build_release, free_port, start_bindery, start_nginx, wait_status, wrk, write_component

import boto3

REGION, KEY, SECRET = "us-east-1", "bench", "bench"


def start_moto(port):
    process = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_status(f"http://127.0.0.1:{port}/moto-api/", 200, timeout=30, interval=0.05):
        process.kill()
        raise RuntimeError("moto_server did not start")
    return process


def client(endpoint):
    return boto3.client("sqs", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=KEY,
                        aws_secret_access_key=SECRET)


def boto3_send_rate(endpoint, url, seconds, threads=32):
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def worker(index):
        sqs = client(endpoint)
        while time.monotonic() < stop:
            sqs.send_message(QueueUrl=url, MessageBody="x")
            counts[index] += 1

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (time.monotonic() - started)


def curl_send_rate(endpoint, url, requests, work, parallel=32):
    config = os.path.join(work, "curl.conf")
    with open(config, "w") as f:
        f.write(f'aws-sigv4 = "aws:amz:{REGION}:sqs"\nuser = "{KEY}:{SECRET}"\n'
                'header = "X-Amz-Target: AmazonSQS.SendMessage"\n'
                'header = "Content-Type: application/x-amz-json-1.0"\n'
                f'data = "{{\\"QueueUrl\\":\\"{url}\\",\\"MessageBody\\":\\"x\\"}}"\n'
                'write-out = "%{http_code}\\n"\n')
        for _ in range(requests):
            f.write(f'url = "{endpoint}/"\noutput = "/dev/null"\n')
    started = time.monotonic()
    out = subprocess.run(["curl", "-s", "--parallel", "--parallel-max", str(parallel), "-K", config],
                         capture_output=True, text=True).stdout
    elapsed = time.monotonic() - started
    ok = out.split().count("200")
    if ok != requests:
        print(f"  curl: {requests - ok} of {requests} requests failed")
    return ok / elapsed


def count(sqs, url):
    attributes = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(v) for v in attributes["Attributes"].values())


def fill(sqs, url, n):
    for start in range(0, n, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f'{{"n":{start + i}}}'}
                                                      for i in range(min(10, n - start))])


def boto3_consume_rate(sqs, url, n):
    done, started = 0, time.monotonic()
    while done < n:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            done += 1
    return n / (time.monotonic() - started)


def bindery_consume_rate(binary, sqs, url, n, components, app_port):
    bindery = start_bindery(binary, free_port(), "--resources-path", components, "--app-port", str(app_port))
    try:
        started = time.monotonic()
        deadline = started + 600
        while count(sqs, url) > 0:
            if time.monotonic() > deadline:
                raise RuntimeError("bindery did not drain the queue in 10 minutes")
            time.sleep(0.05)
        return n / (time.monotonic() - started)
    finally:
        bindery.terminate()
        bindery.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (the machine has 2 cores)")
    args = parser.parse_args()
    for tool in ("moto_server", "wrk", "nginx", "curl"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: run scripts/install-deps")
    release = build_release()
    binary = os.path.join(release, "bindery")
    work = tempfile.mkdtemp(prefix="bindery-sqs-bench-")
    moto_port = free_port()
    endpoint = f"http://127.0.0.1:{moto_port}"
    moto = start_moto(moto_port)
    nginx = None
    try:
        sqs = client(endpoint)
        out_url = sqs.create_queue(QueueName="bench-out")["QueueUrl"]
        aws = {"endpoint": endpoint, "region": REGION, "accessKey": KEY, "secretKey": SECRET}
        outputs = os.path.join(work, "outputs")
        os.makedirs(outputs)
        write_component(outputs, "out", "bindings.aws.sqs", dict(aws, queueName="bench-out", direction="output"))
        http = free_port()
        bindery = start_bindery(binary, http, "--resources-path", outputs)
        try:
            if not wait_status(f"http://127.0.0.1:{http}/v1.0/healthz/outbound", 204):
                raise RuntimeError("bindery did not become ready")
            ours = wrk(f"http://127.0.0.1:{http}/v1.0/bindings/out", '{"operation":"create","data":"x"}',
                       seconds=args.seconds, threads=args.threads)
        finally:
            bindery.terminate()
            bindery.wait()
        boto = boto3_send_rate(endpoint, out_url, args.seconds)
        curl = curl_send_rate(endpoint, out_url, max(500, int(boto * args.seconds)), work)
        print(f"boto3 SendMessage, 32 threads:          {boto:10.0f} msg/s")
        print(f"curl --aws-sigv4 SendMessage, 32 parallel: {curl:7.0f} msg/s")
        print(f"bindery create, wrk -t{args.threads} -c32 -d{args.seconds}s:   {ours['rps']:10.0f} req/s  "
              f"(p50 {ours['p50']:.2f} ms, p99 {ours['p99']:.2f} ms, non-2xx {ours['non2xx']}, errors {ours['errors']})")
        print(f"output ratios: bindery/boto3 {ours['rps'] / boto:.2f}, bindery/curl {ours['rps'] / curl:.2f}")

        n = args.messages
        in_c = sqs.create_queue(QueueName="bench-in-boto3")["QueueUrl"]
        in_b = sqs.create_queue(QueueName="bench-in-bindery")["QueueUrl"]
        fill(sqs, in_c, n)
        fill(sqs, in_b, n)
        c_rate = boto3_consume_rate(sqs, in_c, n)
        inputs = os.path.join(work, "inputs")
        os.makedirs(inputs)
        write_component(inputs, "bench-in", "bindings.aws.sqs", dict(aws, queueName="bench-in-bindery",
                                                                     direction="input"))
        app_port = free_port()
        nginx = start_nginx(app_port, work)
        b_rate = bindery_consume_rate(binary, sqs, in_b, n, inputs, app_port)
        print(f"boto3 consumer (receive 10, delete each), no app: {c_rate:8.0f} msg/s")
        print(f"bindery input to nginx:                  {b_rate:10.0f} msg/s")
        print(f"input ratio bindery/boto3: {b_rate / c_rate:.2f}")
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait()
        moto.terminate()
        moto.wait()


if __name__ == "__main__":
    main()
