"""Redis output benchmark (issue 5): `create` through bindery under wrk (32 connections) versus
redis-benchmark SET with 32 clients against the same redis-server in the same run.

    python3 bench/redis.py [--seconds 10]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import build_release, free_port, start_bindery, wait_status, wrk


def start_redis(port, directory):
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", directory], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() == "PONG":
            return process
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


def redis_benchmark(port, requests):
    out = subprocess.run(["redis-benchmark", "-p", str(port), "-c", "32", "-n", str(requests), "-t", "set", "-q"],
                         capture_output=True, text=True, check=True).stdout
    return float(re.search(r"SET: ([\d.]+) requests per second", out.replace("\r", "\n")).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (the machine has 2 cores)")
    args = parser.parse_args()
    if not shutil.which("redis-server"):
        sys.exit("redis-server is missing: run scripts/install-deps (apt-get install redis-server redis-tools)")
    release = build_release()
    work = tempfile.mkdtemp(prefix="bindery-redis-bench-")
    redis_port = free_port()
    redis = start_redis(redis_port, work)
    components = os.path.join(work, "components")
    os.makedirs(components)
    with open(os.path.join(components, "cache.yaml"), "w") as f:
        f.write("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: cache\nspec:\n  type: bindings.redis\n"
                f"  version: v1\n  metadata:\n    - name: redisHost\n      value: \"127.0.0.1:{redis_port}\"\n")
    port = free_port()
    bindery = start_bindery(os.path.join(release, "bindery"), port, "--resources-path", components)
    try:
        if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204):
            raise RuntimeError("bindery did not become ready")
        body = '{"operation":"create","data":"x","metadata":{"key":"k"}}'
        ours = wrk(f"http://127.0.0.1:{port}/v1.0/bindings/cache", body, seconds=args.seconds, threads=args.threads)
        baseline = redis_benchmark(redis_port, 200000)
    finally:
        bindery.terminate()
        bindery.wait()
        redis.terminate()
        redis.wait()
    ratio = ours["rps"] / baseline
    print(f"redis-benchmark -c 32 -t set:          {baseline:10.0f} SET/s")
    print(f"bindery create, wrk -t{args.threads} -c32 -d{args.seconds}s:  {ours['rps']:10.0f} req/s  "
          f"(p50 {ours['p50']:.2f} ms, p99 {ours['p99']:.2f} ms, non-2xx {ours['non2xx']}, errors {ours['errors']})")
    print(f"ratio bindery/redis-benchmark: {ratio:.2f}   (target >= 0.4: {'met' if ratio >= 0.4 else 'MISSED'})")


if __name__ == "__main__":
    main()
