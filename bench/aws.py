"""AWS drivers' benchmark (issue 12): what bindery adds on top of the AWS API, against one moto
server in one run. moto (Python) is the bottleneck, so the figures compare clients of the same
server, not bindery with AWS:

  * s3 `create` of 1 KiB objects through bindery's HTTP API (wrk) vs the same PutObject from boto3
    (threads, one client each) and from curl with --aws-sigv4 (processes, many URLs each);
  * sqs `create` the same way (SendMessage, JSON 1.0 protocol);
  * sqs input: N messages queued first, then the time for bindery to deliver them all to a
    trivial app (bench/kafka_input_app.py), vs boto3 receiving (10 at a time, as the driver
    does) and deleting them one by one in a loop.

    python3 bench/aws.py [--seconds 10] [--clients 8] [--messages 2000]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import build_release, free_port, start_bindery, wait_status, write_component, wrk

REGION, KEY, SECRET = "us-east-1", "bench", "bench"
PAYLOAD = "x" * 1024


def start_moto(port):
    process = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_status(f"http://127.0.0.1:{port}/moto-api/", 200, timeout=30, interval=0.05):
        process.kill()
        raise RuntimeError("moto_server did not start")
    return process


def boto(endpoint, service):
    import boto3
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id=KEY, aws_secret_access_key=SECRET)


def boto_rate(endpoint, service, clients, seconds, call):
    """Calls `call(client, n)` from `clients` threads for `seconds`; returns calls per second."""
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def work(index):
        client = boto(endpoint, service)
        while time.monotonic() < stop:
            call(client, counts[index])
            counts[index] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def curl_rate(clients, seconds, arguments, url_for):
    """`clients` curl processes, each sending batches of 200 requests on one connection, for
    about `seconds`; returns requests per second (only 2xx counted)."""
    done = [0] * clients
    stop = time.monotonic() + seconds

    def work(index):
        batch = 0
        while time.monotonic() < stop:
            # One -o per URL: curl pairs them in order, and a body without its own -o would be
            # written to stdout, in front of the next status code.
            targets = [part for n in range(200) for part in ("-o", "/dev/null", url_for(index, batch, n))]
            out = subprocess.run(["curl", "-s", "-w", "%{http_code}\n", *arguments, *targets],
                                 capture_output=True, text=True).stdout.split()
            done[index] += sum(1 for code in out if code.startswith("2"))
            batch += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started)


def input_rate(release, endpoint, work, messages):
    """Queues `messages`, then starts bindery with an sqs input and times delivery to the app."""
    sqs = boto(endpoint, "sqs")
    url = sqs.create_queue(QueueName="bench-in")["QueueUrl"]
    for start in range(0, messages, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(n), "MessageBody": json.dumps({"n": n})} for n in range(start, min(start + 10, messages))])
    components = os.path.join(work, "input")
    os.makedirs(components)
    write_component(components, "benchin", "bindings.aws.sqs",
                    {"queueName": "bench-in", "endpoint": endpoint, "region": REGION, "accessKey": KEY, "secretKey": SECRET})
    app_port, port = free_port(), free_port()
    app = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "kafka_input_app.py"),
                            str(app_port)])
    wait_status(f"http://127.0.0.1:{app_port}/stats", 200)
    bindery = start_bindery(os.path.join(release, "bindery"), port, "--resources-path", components,
                            "--app-port", str(app_port))
    started = time.monotonic()
    try:
        deadline = started + 300
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{app_port}/stats") as response:
                stats = json.load(response)
            if stats["count"] >= messages:
                break
            time.sleep(0.2)
    finally:
        bindery.terminate()
        bindery.wait()
        app.terminate()
        app.wait()
    return stats["count"], stats["count"] / max(stats["last"] - started, 1e-9)


def boto_input_rate(endpoint, messages):
    sqs = boto(endpoint, "sqs")
    url = sqs.create_queue(QueueName="bench-boto-in")["QueueUrl"]
    for start in range(0, messages, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(n), "MessageBody": "{}"} for n in range(start, min(start + 10, messages))])
    received, started = 0, time.monotonic()
    while received < messages:
        reply = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in reply.get("Messages", []):
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            received += 1
    return received / (time.monotonic() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    if not shutil.which("moto_server") or not shutil.which("wrk"):
        sys.exit("moto_server or wrk is missing: run scripts/install-deps")
    release = build_release()
    work = tempfile.mkdtemp(prefix="bindery-aws-bench-")
    moto_port = free_port()
    endpoint = f"http://127.0.0.1:{moto_port}"
    moto = start_moto(moto_port)
    try:
        boto(endpoint, "s3").create_bucket(Bucket="bench")
        queue_url = boto(endpoint, "sqs").create_queue(QueueName="bench")["QueueUrl"]
        components = os.path.join(work, "components")
        os.makedirs(components)
        auth = {"endpoint": endpoint, "region": REGION, "accessKey": KEY, "secretKey": SECRET}
        write_component(components, "files", "bindings.aws.s3", {"bucket": "bench", "forcePathStyle": "true", **auth})
        write_component(components, "jobs", "bindings.aws.sqs", {"queueName": "bench", **auth})
        port = free_port()
        bindery = start_bindery(os.path.join(release, "bindery"), port, "--resources-path", components)
        try:
            if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204):
                raise RuntimeError("bindery did not become ready")
            body = json.dumps({"operation": "create", "data": PAYLOAD})
            s3_ours = wrk(f"http://127.0.0.1:{port}/v1.0/bindings/files", body, connections=args.clients,
                          seconds=args.seconds)
            sqs_ours = wrk(f"http://127.0.0.1:{port}/v1.0/bindings/jobs", body, connections=args.clients,
                           seconds=args.seconds)
        finally:
            bindery.terminate()
            bindery.wait()
        s3_boto = boto_rate(endpoint, "s3", args.clients, args.seconds,
                            lambda c, n: c.put_object(Bucket="bench", Key=f"boto-{threading.get_ident()}-{n}",
                                                      Body=PAYLOAD.encode(), ContentType="application/octet-stream"))
        sqs_boto = boto_rate(endpoint, "sqs", args.clients, args.seconds,
                             lambda c, n: c.send_message(QueueUrl=queue_url, MessageBody=PAYLOAD))
        payload_file = os.path.join(work, "payload")
        with open(payload_file, "w") as f:
            f.write(PAYLOAD)
        sign = ["--aws-sigv4", f"aws:amz:{REGION}:s3", "--user", f"{KEY}:{SECRET}"]
        s3_curl = curl_rate(args.clients, args.seconds,
                            ["-X", "PUT", "--data-binary", f"@{payload_file}", "-H", "Content-Type: application/octet-stream",
                             "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", *sign],
                            lambda i, b, n: f"{endpoint}/bench/curl-{i}-{b}-{n}")
        sqs_body = json.dumps({"QueueUrl": queue_url, "MessageBody": PAYLOAD})
        sqs_curl = curl_rate(args.clients, args.seconds,
                             ["-X", "POST", "-H", "Content-Type: application/x-amz-json-1.0", "-H",
                              "X-Amz-Target: AmazonSQS.SendMessage", "--data-binary", sqs_body,
                              "--aws-sigv4", f"aws:amz:{REGION}:sqs", "--user", f"{KEY}:{SECRET}"],
                            lambda i, b, n: f"{endpoint}/")
        delivered, in_ours = input_rate(release, endpoint, work, args.messages)
        in_boto = boto_input_rate(endpoint, args.messages)
    finally:
        moto.terminate()
        moto.wait()
    print(f"one moto_server, {args.clients} clients each, {args.seconds} s per run, 1 KiB payloads")
    for name, ours, boto_figure, curl_figure in (("s3 create", s3_ours, s3_boto, s3_curl),
                                                 ("sqs create", sqs_ours, sqs_boto, sqs_curl)):
        print(f"{name:11s} bindery (wrk -c{args.clients}): {ours['rps']:8.0f} req/s  p50 {ours['p50']:.2f} ms  "
              f"p99 {ours['p99']:.2f} ms  non-2xx {ours['non2xx']}  errors {ours['errors']}")
        print(f"{'':11s} boto3 ({args.clients} threads):  {boto_figure:8.0f} req/s   ratio bindery/boto3 {ours['rps'] / boto_figure:.2f}")
        print(f"{'':11s} curl --aws-sigv4:       {curl_figure:8.0f} req/s   ratio bindery/curl  {ours['rps'] / curl_figure:.2f}")
    print(f"sqs input   bindery to a trivial app: {delivered} of {args.messages} delivered, {in_ours:8.0f} msg/s")
    print(f"{'':11s} boto3 receive+delete loop:      {in_boto:8.0f} msg/s   ratio bindery/boto3 {in_ours / in_boto:.2f}")


if __name__ == "__main__":
    main()
