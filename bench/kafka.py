"""Kafka output benchmark (issue 11): `create` through bindery under wrk (32 connections) versus a
C producer on librdkafka with 32 callers, each keeping one record in flight (bench/kafka_producer.c),
against the same librdkafka mock cluster (Plugins/kafka/mock/kafka-mock.c) in the same run.

    python3 bench/kafka.py [--seconds 10]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, build_release, free_port, sh, start_bindery, wait_status, write_component, wrk


def compile_c(source, output):
    sh(f"cc -O2 -o {output} {source} $(pkg-config --cflags --libs rdkafka)")
    return output


def start_mock(program, directory):
    """The mock cluster with topic bench (3 partitions); returns (process, bootstrap servers)."""
    out = os.path.join(directory, "mock.out")
    process = subprocess.Popen([program, str(free_port()), "1", "bench:3"], stdout=open(out, "w"),
                               stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open(out) as f:
            line = f.readline().strip()
        if line.startswith("127.0.0.1:"):
            return process, line
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("the kafka mock cluster did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (the machine has 2 cores)")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: run scripts/install-deps")
    release = build_release()
    work = tempfile.mkdtemp(prefix="bindery-kafka-bench-")
    mock = compile_c(os.path.join(ROOT, "Plugins", "kafka", "mock", "kafka-mock.c"), os.path.join(work, "kafka-mock"))
    producer = compile_c(os.path.join(ROOT, "bench", "kafka_producer.c"), os.path.join(work, "kafka_producer"))
    cluster, brokers = start_mock(mock, work)
    components = os.path.join(work, "components")
    os.makedirs(components)
    write_component(components, "events", "bindings.kafka",
                    {"brokers": brokers, "publishTopic": "bench", "authType": "none"})
    port = free_port()
    bindery = start_bindery(os.path.join(release, "bindery"), port, "--resources-path", components)
    try:
        if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204, timeout=30):
            raise RuntimeError("bindery did not become ready")
        body = '{"operation":"create","data":"x"}'
        ours = wrk(f"http://127.0.0.1:{port}/v1.0/bindings/events", body, connections=args.connections,
                   seconds=args.seconds, threads=args.threads)
        baseline = float(subprocess.run([producer, brokers, "bench", str(args.connections), str(args.seconds)],
                                        capture_output=True, text=True, check=True).stdout)
    finally:
        bindery.terminate()
        bindery.wait()
        cluster.terminate()
        cluster.wait()
    ratio = ours["rps"] / baseline
    print(f"C producer on librdkafka, {args.connections} callers:  {baseline:10.0f} records/s")
    print(f"bindery create, wrk -t{args.threads} -c{args.connections} -d{args.seconds}s:  {ours['rps']:10.0f} req/s  "
          f"(p50 {ours['p50']:.2f} ms, p99 {ours['p99']:.2f} ms, non-2xx {ours['non2xx']}, errors {ours['errors']})")
    print(f"ratio bindery/librdkafka: {ratio:.2f}   (target >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'})")


if __name__ == "__main__":
    main()
