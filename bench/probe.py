#!/usr/bin/env python3
"""Probes a running bindery as an attacker and a careless operator would, and prints what held.

    python3 bench/probe.py [--skip-build] [--idle N] [--requests N]

Builds the release host, starts `bindery run` with an API token and a localstorage component,
then: malformed HTTP requests, API-token bypass attempts, path-traversal file names, idle
connections, slowloris, pipelined load with RSS before and after, hostile component files
written into the live resources folder (the good component must keep answering) and through
`bindery validate`, and failing components of every driver with a sensitive field
(bench/probe_secrets.py: a grep of the log, /v1.0/metadata and error answers for the secrets).
Each section prints its counts; the exit status is 1 if anything did not hold (a 5xx other than
Go's 501/505 or a hang on malformed input, a bypass, an escape, a crash, a leaked secret).
docs/RELIABILITY.md records a run.
"""
import argparse
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, build_release, free_port, rss_kb, write_component  # noqa: E402
import probe_secrets  # noqa: E402
from probe_inputs import component_mutations, malformed_requests, token_attempts, traversal_names  # noqa: E402

TOKEN = "probe-token-7f3a"
failures = []


def exchange(port, raw, timeout=5.0):
    """Sends `raw` on a new connection; returns the status code, 0 if closed without one, None on a hang."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(raw)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            return None
        except OSError:
            return 0
    if not data.startswith(b"HTTP/1.1 "):
        return 0
    return int(data[9:12])


def call(port, method, path, body=b"", headers=None):
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
    for name, value in (headers or {}).items():
        head += f"{name}: {value}\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data[9:12])
    head, body = data.split(b"\r\n\r\n", 1)
    return status, body, head


def invoke(port, operation, file_name, data='"aGVsbG8="'):
    body = f'{{"operation":"{operation}","data":{data},"metadata":{{"fileName":{file_name}}}}}'.encode()
    return call(port, "POST", "/v1.0/bindings/files", body, {"dapr-api-token": TOKEN})


def secret_call(port, name, body):
    """An invoke of binding `name`, or `GET /v1.0/metadata` when `name` is None."""
    if name is None:
        return call(port, "GET", "/v1.0/metadata")
    return call(port, "POST", f"/v1.0/bindings/{name}", body.encode())


def alive(port):
    return call(port, "GET", "/v1.0/healthz/outbound")[0] == 204


def section(title, counts, ok):
    print(f"{title}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + ("" if ok else "  <-- FAILED"))
    if not ok:
        failures.append(title)


def probe_malformed(port):
    counts = {"requests": 0, "4xx": 0, "501/505": 0, "closed": 0, "2xx": 0, "other 5xx": 0, "hung": 0}
    for raw in malformed_requests():
        status = exchange(port, raw)
        counts["requests"] += 1
        # 501 (a transfer coding it does not know) and 505 (a version other than 1.x) are Go's
        # answers too; a 2xx is a mutation that is still a valid request.
        key = "hung" if status is None else "closed" if status == 0 else f"{status // 100}xx"
        key = "501/505" if status in (501, 505) else "other 5xx" if key == "5xx" else key
        counts[key] = counts.get(key, 0) + 1
    section("malformed requests", counts, counts["other 5xx"] == 0 and counts["hung"] == 0 and alive(port))


def probe_tokens(port):
    counts = {"attempts": 0, "refused": 0, "bypass": 0}
    for method, path, headers in token_attempts(TOKEN):
        status = exchange(port, f"{method} {path} HTTP/1.1\r\nHost: x\r\n{headers}Content-Length: 0\r\n\r\n".encode())
        counts["attempts"] += 1
        counts["refused" if status in (0, 400, 401, 404, 405, 431) else "bypass"] += 1
        if status not in (0, 400, 401, 404, 405, 431):
            print(f"  bypass? {status} {method} {path!r} {headers!r}")
    section("API-token bypass attempts", counts, counts["bypass"] == 0)


def probe_traversal(port, root, outside):
    counts = {"names": 0, "refused": 0, "inside": 0, "escapes": 0}
    before = sorted(os.listdir(outside))
    for name in traversal_names():
        quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"').replace("\0", "\\u0000") + '"'
        counts["names"] += 1
        got = invoke(port, "get", quoted)
        created = invoke(port, "create", quoted)
        if b"outside-secret" in got[1]:
            counts["escapes"] += 1
            print(f"  escape through get {name!r}")
        counts["inside" if created[0] == 200 else "refused"] += 1
        if created[0] == 200:
            invoke(port, "delete", quoted)
    if sorted(os.listdir(outside)) != before or open(os.path.join(outside, "secret")).read() != "outside-secret":
        counts["escapes"] += 1
    section("path-traversal file names", counts, counts["escapes"] == 0)


def probe_idle(port, count):
    held, refused = [], 0
    for _ in range(count):
        try:
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            refused += 1
    served = alive(port)
    for s in held:
        s.close()
    section("idle connections", {"held": len(held), "refused by the OS": refused}, served)


def probe_slowloris(port, count=300, seconds=12):
    conns = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]
    for s in conns:
        s.sendall(b"POST /v1.0/bindings/files HTTP/1.1\r\nHost: x\r\n")
    served, start = 0, time.monotonic()
    while time.monotonic() - start < seconds:
        for s in conns:
            try:
                s.sendall(b"X-a: b\r\n")
            except OSError:
                pass
        served += alive(port)
        time.sleep(1)
    for s in conns:
        s.close()
    section("slowloris", {"connections": count, "seconds": seconds, "health checks served": served},
            served >= seconds - 1)


def probe_load(port, requests):
    before = rss_kb(port_pid[port])[0]
    body = b'{"operation":"get","metadata":{"fileName":"load.txt"}}'
    invoke(port, "create", '"load.txt"')
    request = (b"POST /v1.0/bindings/files HTTP/1.1\r\nHost: x\r\ndapr-api-token: " + TOKEN.encode()
               + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    ok = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        for batch in range(requests // 100):
            s.sendall(request * 100)
            data = b""
            while data.count(b"HTTP/1.1 200") < 100:
                data += s.recv(1 << 16)
            ok += 100
    after = rss_kb(port_pid[port])[0]
    section("pipelined requests", {"answered 200": ok, "RSS before KiB": before, "RSS after KiB": after},
            ok == requests // 100 * 100 and after < before + 32 * 1024)


def probe_reload(port, components, steps):
    """Hostile files written into the live resources folder one after another: the good
    component must answer every request in between (the previous good configuration stays)."""
    counts = {"reload steps": 0, "requests": 0, "failed": 0}
    hostile = os.path.join(components, "hostile.yaml")
    for content in component_mutations(steps * 2):
        if counts["reload steps"] == steps:
            break
        if b"files" in content:
            continue
        with open(hostile + ".tmp", "wb") as f:
            f.write(content)
        os.rename(hostile + ".tmp", hostile)
        counts["reload steps"] += 1
        for _ in range(3):
            counts["requests"] += 1
            counts["failed"] += invoke(port, "get", '"load.txt"')[0] != 200
        time.sleep(0.05)  # the watcher reports a burst after 15 ms of quiet: one reload per step
    os.unlink(hostile)
    section("hot reload of hostile files", counts, counts["failed"] == 0 and alive(port))


def probe_validate(binary, workdir):
    counts = {"files": 0, "exit 0": 0, "exit 1": 0, "crashed": 0, "slow (>10 s)": 0}
    folder = os.path.join(workdir, "hostile")
    os.makedirs(folder)
    slowest = 0.0
    for index, content in enumerate(component_mutations()):
        path = os.path.join(folder, "c.yaml")
        with open(path, "wb") as f:
            f.write(content)
        start = time.monotonic()
        try:
            code = subprocess.run([binary, "validate", "--resources-path", folder], capture_output=True,
                                  timeout=10).returncode
        except subprocess.TimeoutExpired:
            counts["slow (>10 s)"] += 1
            continue
        slowest = max(slowest, time.monotonic() - start)
        counts["files"] += 1
        counts[f"exit {code}" if code in (0, 1) else "crashed"] += 1
    counts["slowest ms"] = int(slowest * 1000)
    section("hostile component files", counts, counts["crashed"] == 0 and counts["slow (>10 s)"] == 0)


port_pid = {}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=1_260_000)
    parser.add_argument("--reloads", type=int, default=860)
    args = parser.parse_args()
    release = os.path.join(ROOT, ".build", "release") if args.skip_build else build_release()
    binary = os.path.join(release, "bindery")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.idle + 1024)), hard))
    random.seed(9)
    with tempfile.TemporaryDirectory() as workdir:
        root, outside, components = (os.path.join(workdir, d) for d in ("root", "outside", "components"))
        for d in (root, outside, components):
            os.makedirs(d)
        with open(os.path.join(outside, "secret"), "w") as f:
            f.write("outside-secret")
        os.symlink(outside, os.path.join(root, "link-out"))
        write_component(components, "files", "bindings.localstorage", {"rootPath": root})
        port = free_port()
        env = dict(os.environ, DAPR_API_TOKEN=TOKEN)
        log = open(os.path.join(workdir, "bindery.log"), "w")
        host = subprocess.Popen([binary, "run", "--dapr-grpc-port", "0", "--dapr-http-port", str(port), "--resources-path", components],
                                env=env, stdout=log, stderr=log)
        port_pid[port] = host.pid
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    if alive(port):
                        break
                except OSError:
                    time.sleep(0.05)
            probe_malformed(port)
            probe_tokens(port)
            probe_traversal(port, root, outside)
            probe_idle(port, args.idle)
            probe_slowloris(port)
            probe_load(port, args.requests)
            probe_reload(port, components, args.reloads)
            section("host process", {"exit code while probed": host.poll() or 0}, host.poll() is None)
        finally:
            host.terminate()
            host.wait(timeout=30)
        log.close()
        text = open(os.path.join(workdir, "bindery.log"), errors="replace").read()
        print(f"log: {len(text):,} bytes, {text.count('hostile.yaml'):,} lines naming a hostile file, "
              f"{text.count(' ERROR ') + text.count('ERROR ['):,} ERROR lines")
        probe_validate(binary, workdir)
        probe_secrets.run(binary, workdir, secret_call, section)
    print("FAILED: " + ", ".join(failures) if failures else "everything held")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
