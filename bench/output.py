"""Output-binding benchmark: bindery serving an in-memory driver vs nginx answering a fixed 200,
under the same wrk load in the same run; RSS idle and under load; start-up time with 10
components. Prints figures, ratios and the targets from issue 3.

    python3 bench/output.py [--seconds 10]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (build_fixture_driver, build_release, free_port, rss_kb, start_bindery, start_nginx, wait_status,
                    wrk, write_component)


def startup_ms(binary, drivers, resources, runs=7):
    times = []
    for _ in range(runs):
        port = free_port()
        began = time.monotonic()
        process = start_bindery(binary, port, "--app-id", "bench", "--drivers-path", drivers, "--resources-path", resources)
        ok = wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204, interval=0.0005)
        times.append((time.monotonic() - began) * 1000)
        process.terminate()
        process.wait()
        if not ok:
            raise RuntimeError("bindery did not become ready")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (the machine has 2 cores)")
    args = parser.parse_args()
    release = build_release()
    binary = os.path.join(release, "bindery")
    work = tempfile.mkdtemp(prefix="bindery-bench-")
    drivers = os.path.join(work, "drivers")
    resources = os.path.join(work, "components")
    os.makedirs(drivers)
    os.makedirs(resources)
    build_fixture_driver(drivers)
    write_component(resources, "mem", "bindings.fixture", {"token": "x"})
    body = '{"operation":"echo","data":{"a":1}}'

    nginx_port = free_port()
    nginx = start_nginx(nginx_port, work)
    try:
        base = wrk(f"http://127.0.0.1:{nginx_port}/", body, seconds=args.seconds, threads=args.threads)
    finally:
        nginx.terminate()
        nginx.wait()

    port = free_port()
    process = start_bindery(binary, port, "--app-id", "bench", "--drivers-path", drivers, "--resources-path", resources)
    try:
        if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204):
            raise RuntimeError("bindery did not become ready")
        idle, _ = rss_kb(process.pid)
        peak = [0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], rss_kb(process.pid)[0])
                time.sleep(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        ours = wrk(f"http://127.0.0.1:{port}/v1.0/bindings/mem", body, seconds=args.seconds, threads=args.threads)
        stop.set()
        sampler.join()
    finally:
        process.terminate()
        process.wait()

    for index in range(9):
        write_component(resources, f"mem{index}", "bindings.fixture", {"token": "x"})
    start = startup_ms(binary, drivers, resources)

    ratio = ours["rps"] / base["rps"]
    print(f"wrk -t{args.threads} -c32 -d{args.seconds}s POST {body}")
    print(f"{'':24}{'req/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}{'errors':>8}")
    for name, r in (("nginx fixed 200", base), ("bindery -> memory driver", ours)):
        print(f"{name:24}{r['rps']:12.0f}{r['p50']:10.3f}{r['p99']:10.3f}{r['non2xx']:9d}{r['errors']:8d}")
    print(f"ratio bindery/nginx: {ratio:.2f}   (target >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'})")
    print(f"bindery p99: {ours['p99']:.3f} ms  (target <= 1 ms: {'met' if ours['p99'] <= 1 else 'MISSED'})")
    print(f"bindery RSS idle: {idle / 1024:.1f} MB, under load (peak sampled): {peak[0] / 1024:.1f} MB "
          f"(target <= 20 MB: {'met' if peak[0] <= 20 * 1024 else 'MISSED'})")
    print(f"start-up to /v1.0/healthz/outbound = 204 with 10 components: {start:.1f} ms (median of 7) "
          f"(target <= 100 ms: {'met' if start <= 100 else 'MISSED'})")


if __name__ == "__main__":
    main()
