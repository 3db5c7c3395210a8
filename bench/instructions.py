"""Instructions per output-binding request, counted by valgrind's callgrind: a figure that does
not swing with the machine's load, unlike req/s on two shared cores.

bindery (release, debug info stripped: valgrind cannot read Swift 6.3's DWARF 5) serves the
in-memory C test driver's `echo`, through the HTTP API (one keep-alive connection, POST
/v1.0/bindings/mem) and through the gRPC API (one h2c connection from grpcio, unary
dapr.proto.runtime.v1.Dapr/InvokeBinding with the request the Python SDK encodes); each sends N
requests one after another. Each run is made twice (500 and 3500 requests) and the difference
divided by 3000, so start-up and shutdown cancel out. Prints both APIs and gRPC/HTTP (issue 10:
gRPC should cost no more per request than HTTP).

    python3 bench/instructions.py                      # this checkout, both APIs
    python3 bench/instructions.py --api grpc           # one API only
    python3 bench/instructions.py --against ../old     # and another checkout (e.g. a git worktree
                                                       # of an earlier commit), built the same way
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile

from common import build_fixture_driver, free_port, sh, wait_status, write_component

BODY = b'{"operation":"echo","data":{"a":1}}'
REQUEST = (b"POST /v1.0/bindings/mem HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
           b"Content-Length: %d\r\n\r\n%s" % (len(BODY), BODY))
INVOKE_BINDING = "/dapr.proto.runtime.v1.Dapr/InvokeBinding"


def send_http(port, requests):
    with socket.create_connection(("127.0.0.1", port)) as connection:
        for _ in range(requests):
            connection.sendall(REQUEST)
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
                answer += connection.recv(65536)


def send_grpc(port, requests):
    """Unary calls with raw bytes (no message classes on the hot path), one channel: one h2c
    connection. The request is the SDK's own encoding of InvokeBindingRequest."""
    import grpc
    from dapr.proto.runtime.v1 import binding_pb2
    request = binding_pb2.InvokeBindingRequest(name="mem", data=b'{"a":1}', operation="echo").SerializeToString()
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        invoke = channel.unary_unary(INVOKE_BINDING, request_serializer=None, response_deserializer=None)
        for _ in range(requests):
            reply = invoke(request, timeout=60)
            if binding_pb2.InvokeBindingResponse.FromString(reply).data != b'{"a":1}':
                raise SystemExit(f"unexpected InvokeBinding reply {reply!r}")


def instructions(binary, work, drivers, components, api, requests):
    port, grpc_port = free_port(), free_port()
    out = os.path.join(work, f"callgrind.{api}.{requests}")
    process = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, "run", "--dapr-http-port", str(port),
         "--dapr-grpc-port", str(grpc_port), "--log-level", "warn", "--drivers-path", drivers, "--resources-path",
         components, "--watch=false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204, timeout=60):
            raise SystemExit("bindery under valgrind never became healthy")
        (send_grpc if api == "grpc" else send_http)(grpc_port if api == "grpc" else port, requests)
    finally:
        process.terminate()
        process.wait()
    with open(out) as f:
        return int(re.search(r"summary: (\d+)", f.read()).group(1))


def measure(root, apis):
    sh("swift build -c release", cwd=root)
    work = tempfile.mkdtemp(prefix="bindery-instructions-")
    binary = os.path.join(work, "bindery")
    sh(f"strip -g -o {binary} {os.path.join(root, '.build', 'release', 'bindery')}")
    drivers, components = os.path.join(work, "drivers"), os.path.join(work, "components")
    os.makedirs(drivers)
    os.makedirs(components)
    build_fixture_driver(drivers)
    write_component(components, "mem", "bindings.fixture", {"token": "x"})
    figures = {}
    for api in apis:
        few = instructions(binary, work, drivers, components, api, 500)
        many = instructions(binary, work, drivers, components, api, 3500)
        figures[api] = (many - few) / 3000
    return figures


def report(label, figures):
    for api, name in (("http", "HTTP API (POST /v1.0/bindings/mem)"), ("grpc", "gRPC API (InvokeBinding)")):
        if api in figures:
            print(f"{label}: {name:36} {figures[api]:>9,.0f} instructions per request")
    if "http" in figures and "grpc" in figures:
        print(f"{label}: ratio gRPC/HTTP {figures['grpc'] / figures['http']:.3f}   (target <= 1.0)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", choices=["http", "grpc", "both"], default="both")
    parser.add_argument("--against", help="another bindery checkout to measure the same way")
    args = parser.parse_args()
    apis = ["http", "grpc"] if args.api == "both" else [args.api]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    here = measure(root, apis)
    report("this checkout", here)
    if args.against:
        other = measure(os.path.abspath(args.against), apis)
        report(args.against, other)
        for api in apis:
            print(f"{api}: ratio this/other {here[api] / other[api]:.3f}")


if __name__ == "__main__":
    sys.exit(main())
