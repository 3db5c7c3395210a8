"""gRPC API benchmark: unary dapr.proto.runtime.v1.Dapr/InvokeBinding to the in-memory fixture
driver under h2load, against the HTTP API (POST /v1.0/bindings/mem) under h2load --h1 with the
same clients, in the same run and the same bindery process. Prints requests/s, p50 and p99 (from
h2load's per-request --log-file), their ratios, and bindery's RSS under the gRPC load.

    python3 bench/grpc_api.py [--seconds 10] [--clients 32] [--rounds 2] [--binary path/to/bindery]

Target (issue 10): gRPC >= 1.0x the HTTP API's requests/s; RSS under that load <= 20 MB.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import build_fixture_driver, build_release, free_port, rss_kb, start_bindery, wait_status, write_component


def invoke_request():
    """InvokeBindingRequest{name: "mem", data: {"a":1}, operation: "echo"}, framed for gRPC, encoded
    by the protobuf runtime the Python SDK ships (not by bindery's own encoder)."""
    from dapr.proto.runtime.v1 import binding_pb2
    message = binding_pb2.InvokeBindingRequest(name="mem", data=b'{"a":1}', operation="echo").SerializeToString()
    return b"\x00" + len(message).to_bytes(4, "big") + message


def h2load(url, data_path, seconds, clients, log_path, headers=(), h1=False):
    command = ["h2load", "-D", str(seconds), "-c", str(clients), "-t", "1", "-m", "1", "-d", data_path,
               f"--log-file={log_path}"]
    if h1:
        command.append("--h1")
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    done = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", out)
    statuses = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    durations = []
    with open(log_path) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 3:
                durations.append(int(fields[2]) / 1000.0)
    durations.sort()
    pick = lambda q: durations[min(len(durations) - 1, int(q * len(durations)))] if durations else float("nan")
    return {"rps": int(done.group(2)) / seconds, "succeeded": int(done.group(2)), "failed": int(done.group(3)),
            "errored": int(done.group(4)), "non2xx": sum(int(x) for x in statuses.groups()[1:]),
            "p50": pick(0.50), "p99": pick(0.99)}


def check_grpc(port):
    """One real call through grpcio, so a run whose every answer is a gRPC error cannot pass."""
    import grpc
    from dapr.proto.runtime.v1 import binding_pb2, dapr_pb2_grpc
    stub = dapr_pb2_grpc.DaprStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
    reply = stub.InvokeBinding(binding_pb2.InvokeBindingRequest(name="mem", data=b'{"a":1}', operation="echo"), timeout=5)
    if reply.data != b'{"a":1}':
        raise RuntimeError(f"unexpected InvokeBinding reply {reply!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2, help="alternating HTTP/gRPC rounds")
    parser.add_argument("--binary", help="a prebuilt bindery to measure instead of building this checkout")
    args = parser.parse_args()
    binary = args.binary or os.path.join(build_release(), "bindery")
    work = tempfile.mkdtemp(prefix="bindery-bench-grpc-")
    drivers, resources = os.path.join(work, "drivers"), os.path.join(work, "components")
    os.makedirs(drivers)
    os.makedirs(resources)
    build_fixture_driver(drivers)
    write_component(resources, "mem", "bindings.fixture", {"token": "x"})
    grpc_body, http_body = os.path.join(work, "grpc.bin"), os.path.join(work, "http.json")
    with open(grpc_body, "wb") as f:
        f.write(invoke_request())
    with open(http_body, "w") as f:
        f.write('{"operation":"echo","data":{"a":1}}')

    port, grpc_port = free_port(), free_port()
    process = start_bindery(binary, port, "--dapr-grpc-port", str(grpc_port), "--app-id", "bench",
                            "--drivers-path", drivers, "--resources-path", resources, "--watch=false")
    results = {"http": [], "grpc": []}
    peak = [0]
    try:
        if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204):
            raise RuntimeError("bindery did not become ready")
        check_grpc(grpc_port)
        idle = rss_kb(process.pid)[0]
        for _ in range(args.rounds):
            results["http"].append(h2load(f"http://127.0.0.1:{port}/v1.0/bindings/mem", http_body, args.seconds,
                                          args.clients, os.path.join(work, "http.log"),
                                          headers=["content-type: application/json"], h1=True))
            stop = threading.Event()

            def sample():
                while not stop.is_set():
                    peak[0] = max(peak[0], rss_kb(process.pid)[0])
                    time.sleep(0.05)

            sampler = threading.Thread(target=sample)
            sampler.start()
            results["grpc"].append(h2load(f"http://127.0.0.1:{grpc_port}/dapr.proto.runtime.v1.Dapr/InvokeBinding",
                                          grpc_body, args.seconds, args.clients, os.path.join(work, "grpc.log"),
                                          headers=["content-type: application/grpc", "te: trailers"]))
            stop.set()
            sampler.join()
        check_grpc(grpc_port)
    finally:
        process.terminate()
        process.wait()

    print(f"h2load -D {args.seconds} -c {args.clients} -m 1, {args.rounds} alternating rounds, one bindery process")
    print(f"{'':34}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}{'non-2xx':>9}")
    for label, key in (("HTTP API  (h2load --h1)", "http"), ("gRPC API  InvokeBinding", "grpc")):
        for index, r in enumerate(results[key]):
            print(f"{label + f'  round {index + 1}':34}{r['rps']:10.0f}{r['p50']:9.3f}{r['p99']:9.3f}"
                  f"{r['failed'] + r['errored']:8d}{r['non2xx']:9d}")
    median = lambda key, field: statistics.median(r[field] for r in results[key])
    ratio = median("grpc", "rps") / median("http", "rps")
    print(f"ratio gRPC/HTTP req/s (medians): {ratio:.2f}   (target >= 1.0: {'met' if ratio >= 1.0 else 'MISSED'})")
    print(f"p50 gRPC/HTTP: {median('grpc', 'p50') / median('http', 'p50'):.2f}   "
          f"p99 gRPC/HTTP: {median('grpc', 'p99') / median('http', 'p99'):.2f}")
    print(f"bindery RSS idle: {idle / 1024:.1f} MB, under gRPC load (peak sampled): {peak[0] / 1024:.1f} MB "
          f"(target <= 20 MB: {'met' if peak[0] <= 20 * 1024 else 'MISSED'})")


if __name__ == "__main__":
    main()
