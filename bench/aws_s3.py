"""S3 output benchmark (issue 12): `create` of 1 KiB objects through bindery's HTTP API (wrk) versus
the same PutObject requests from boto3 (threads) and from curl with --aws-sigv4 (parallel transfers),
all against one moto server in the same run. moto (Python, one process) is the bottleneck, so the
ratios show what bindery adds over a client talking to S3 directly, not what S3 could take.

    python3 bench/aws_s3.py [--seconds 10] [--connections 8]
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import build_release, free_port, start_bindery, wait_status, wrk, write_component

BUCKET = "bench-bucket"
PAYLOAD = "x" * 1024


def start_moto(port, work):
    log = open(os.path.join(work, "moto.log"), "w")
    process = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    if not wait_status(f"http://127.0.0.1:{port}/moto-api/", 200, timeout=30, interval=0.05):
        process.kill()
        raise RuntimeError("moto_server did not start")
    return process


def s3_client(endpoint):
    import boto3
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def boto3_puts(endpoint, threads, seconds):
    """PutObject of 1 KiB from `threads` threads (one client each) for `seconds`; requests per second."""
    body = PAYLOAD.encode()
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def worker(index):
        client = s3_client(endpoint)
        while time.monotonic() < stop:
            client.put_object(Bucket=BUCKET, Key=f"boto3/{index}", Body=body, ContentType="application/octet-stream")
            counts[index] += 1

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (time.monotonic() - started)


def curl_puts(endpoint, parallel, seconds, work):
    """PUTs of 1 KiB signed by curl's --aws-sigv4, `parallel` at once, in batches for about `seconds`."""
    path = os.path.join(work, "payload.bin")
    with open(path, "w") as f:
        f.write(PAYLOAD)
    digest = hashlib.sha256(PAYLOAD.encode()).hexdigest()
    total, started, batch = 0, time.monotonic(), 2000
    while time.monotonic() - started < seconds:
        # Debian's curl 7.88 signs S3 requests only with x-amz-content-sha256 given (drivers-wave.md).
        result = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}\n", "-Z", "--parallel-max", str(parallel),
             "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", "testing:testing",
             "-H", f"x-amz-content-sha256: {digest}", "-H", "Content-Type: application/octet-stream",
             "-T", path, f"{endpoint}/{BUCKET}/curl/[1-{batch}]"],
            capture_output=True, text=True)
        codes = result.stdout.split()
        bad = [c for c in codes if c != "200"]
        if bad:
            raise RuntimeError(f"curl: {len(bad)} of {len(codes)} PUTs failed ({bad[:3]}): {result.stderr[-300:]}")
        total += len(codes)
    return total / (time.monotonic() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8, help="concurrent requests for every client")
    args = parser.parse_args()
    if not shutil.which("moto_server"):
        sys.exit("moto_server is missing: pip install 'moto[server]'")
    release = build_release()
    work = tempfile.mkdtemp(prefix="bindery-s3-bench-")
    moto_port = free_port()
    endpoint = f"http://127.0.0.1:{moto_port}"
    moto = start_moto(moto_port, work)
    components = os.path.join(work, "components")
    os.makedirs(components)
    write_component(components, "files", "bindings.aws.s3", {
        "bucket": BUCKET, "endpoint": endpoint, "region": "us-east-1", "accessKey": "testing",
        "secretKey": "testing", "forcePathStyle": "true"})
    port = free_port()
    bindery = start_bindery(os.path.join(release, "bindery"), port, "--resources-path", components)
    try:
        s3_client(endpoint).create_bucket(Bucket=BUCKET)
        if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204):
            raise RuntimeError("bindery did not become ready")
        body = '{"operation":"create","data":"%s","metadata":{"key":"bindery/1"}}' % PAYLOAD
        ours = wrk(f"http://127.0.0.1:{port}/v1.0/bindings/files", body, connections=args.connections,
                   seconds=args.seconds, threads=2)
        boto3_rate = boto3_puts(endpoint, args.connections, args.seconds)
        curl_rate = curl_puts(endpoint, args.connections, args.seconds, work)
    finally:
        bindery.terminate()
        bindery.wait()
        moto.terminate()
        moto.wait()
    print(f"moto_server, 1 KiB PutObject, {args.connections} concurrent requests, {args.seconds} s each:")
    print(f"  boto3 put_object, {args.connections} threads:        {boto3_rate:8.0f} req/s")
    print(f"  curl --aws-sigv4 -Z --parallel-max {args.connections}:   {curl_rate:8.0f} req/s")
    print(f"  bindery create (HTTP API, wrk -c{args.connections}):      {ours['rps']:8.0f} req/s  "
          f"(p50 {ours['p50']:.2f} ms, p99 {ours['p99']:.2f} ms, non-2xx {ours['non2xx']}, errors {ours['errors']})")
    print(f"ratio bindery/boto3: {ours['rps'] / boto3_rate:.2f}   bindery/curl: {ours['rps'] / curl_rate:.2f}")


if __name__ == "__main__":
    main()
