"""Instructions per output-binding request, counted by valgrind's callgrind: a figure that does
not swing with the machine's load, unlike req/s on two shared cores.

bindery (release, debug info stripped: valgrind cannot read Swift 6.3's DWARF 5) serves the
in-memory C test driver; one keep-alive connection sends N requests one after another. The run
is made twice (500 and 3500 requests) and the difference divided by 3000, so start-up and
shutdown cancel out.

    python3 bench/instructions.py                      # this checkout
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


def instructions(binary, work, drivers, components, requests):
    port = free_port()
    out = os.path.join(work, f"callgrind.{requests}")
    process = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, "run", "--dapr-http-port", str(port),
         "--log-level", "warn", "--drivers-path", drivers, "--resources-path", components, "--watch=false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204, timeout=60):
            raise SystemExit("bindery under valgrind never became healthy")
        with socket.create_connection(("127.0.0.1", port)) as connection:
            for _ in range(requests):
                connection.sendall(REQUEST)
                answer = b""
                while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
                    answer += connection.recv(65536)
    finally:
        process.terminate()
        process.wait()
    with open(out) as f:
        return int(re.search(r"summary: (\d+)", f.read()).group(1))


def measure(root):
    sh("swift build -c release", cwd=root)
    work = tempfile.mkdtemp(prefix="bindery-instructions-")
    binary = os.path.join(work, "bindery")
    sh(f"strip -g -o {binary} {os.path.join(root, '.build', 'release', 'bindery')}")
    drivers, components = os.path.join(work, "drivers"), os.path.join(work, "components")
    os.makedirs(drivers)
    os.makedirs(components)
    build_fixture_driver(drivers)
    write_component(components, "mem", "bindings.fixture", {"token": "x"})
    few = instructions(binary, work, drivers, components, 500)
    many = instructions(binary, work, drivers, components, 3500)
    return (many - few) / 3000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", help="another bindery checkout to measure the same way")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    here = measure(root)
    print(f"this checkout: {here:,.0f} instructions per request")
    if args.against:
        other = measure(os.path.abspath(args.against))
        print(f"{args.against}: {other:,.0f} instructions per request")
        print(f"ratio this/other: {here / other:.3f}")


if __name__ == "__main__":
    sys.exit(main())
