"""gcp.pubsub benchmark (issue 13): what bindery adds on top of Pub/Sub's REST API, against one
Google Pub/Sub emulator in one run. The emulator (a JVM on the same 2 cores) is the bottleneck,
so the figures compare clients of the same emulator, not bindery with Google:

  * `create` of 1 KiB messages through bindery's HTTP API (wrk) vs the same publish sent
    straight to the emulator by curl (processes, 200 requests per connection) and by Python
    (threads, one kept-alive connection each);
  * input: N messages published first, then the time for bindery to deliver them all to a
    trivial app (bench/kafka_input_app.py), vs Python pulling (10 at a time, as the driver does)
    and acknowledging them one by one in a loop.

Before the first measurement the emulator is warmed up by publishing for --warmup seconds.

    python3 bench/gcp_pubsub.py [--seconds 10] [--clients 8] [--messages 2000] [--warmup 10]
"""
import argparse
import base64
import http.client
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
from aws import curl_rate
from common import build_release, free_port, start_bindery, wait_status, write_component, wrk

EMULATOR = "/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator"
PROJECT = "bench-project"
PAYLOAD = "x" * 1024


def start_emulator(port):
    process = subprocess.Popen([EMULATOR, "--host=127.0.0.1", f"--port={port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_status(f"http://127.0.0.1:{port}/v1/projects/{PROJECT}/topics", 200, timeout=90, interval=0.1):
        process.kill()
        raise RuntimeError("the Pub/Sub emulator did not start")
    return process


class Rest:
    """Pub/Sub's REST API on one kept-alive connection."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body)
        self.connection.request(method, f"/v1/projects/{PROJECT}/{path}", body=data,
                                headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        text = response.read()
        if response.status // 100 != 2:
            raise RuntimeError(f"{method} {path}: {response.status} {text[:200]!r}")
        return json.loads(text) if text.strip() else {}


def create(port, topic, subscription=None):
    rest = Rest(port)
    rest.call("PUT", f"topics/{topic}")
    if subscription:
        rest.call("PUT", f"subscriptions/{subscription}",
                  {"topic": f"projects/{PROJECT}/topics/{topic}", "ackDeadlineSeconds": 60})


def publish_all(port, topic, messages):
    rest = Rest(port)
    for start in range(0, messages, 100):
        batch = [{"data": base64.b64encode(json.dumps({"n": n}).encode()).decode()}
                 for n in range(start, min(start + 100, messages))]
        rest.call("POST", f"topics/{topic}:publish", {"messages": batch})


def python_publish_rate(port, topic, clients, seconds):
    """`clients` threads publishing one 1 KiB message per request for `seconds`; requests/s."""
    counts = [0] * clients
    stop = time.monotonic() + seconds
    body = {"messages": [{"data": base64.b64encode(PAYLOAD.encode()).decode()}]}

    def work(index):
        rest = Rest(port)
        while time.monotonic() < stop:
            rest.call("POST", f"topics/{topic}:publish", body)
            counts[index] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def input_rate(release, port, work, messages):
    """Publishes `messages`, then starts bindery with a gcp.pubsub input and times delivery."""
    create(port, "bench-in", "bench-in-sub")
    publish_all(port, "bench-in", messages)
    components = os.path.join(work, "input")
    os.makedirs(components)
    write_component(components, "benchin", "bindings.gcp.pubsub",
                    {"topic": "bench-in", "subscription": "bench-in-sub", "projectID": PROJECT, "direction": "input"})
    app_port, api_port = free_port(), free_port()
    app = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "kafka_input_app.py"),
                            str(app_port)])
    wait_status(f"http://127.0.0.1:{app_port}/stats", 200)
    bindery = start_bindery(os.path.join(release, "bindery"), api_port, "--resources-path", components,
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


def python_input_rate(port, messages):
    create(port, "bench-py-in", "bench-py-in-sub")
    publish_all(port, "bench-py-in", messages)
    rest = Rest(port)
    received, started = 0, time.monotonic()
    while received < messages:
        reply = rest.call("POST", "subscriptions/bench-py-in-sub:pull", {"maxMessages": 10, "returnImmediately": True})
        for message in reply.get("receivedMessages", []):
            rest.call("POST", "subscriptions/bench-py-in-sub:acknowledge", {"ackIds": [message["ackId"]]})
            received += 1
    return received / (time.monotonic() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=10, help="seconds of publishing before the first measurement")
    args = parser.parse_args()
    if not os.access(EMULATOR, os.X_OK):
        sys.exit(f"the Pub/Sub emulator is missing: {EMULATOR} (shipped by this machine image)")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: run scripts/install-deps")
    release = build_release()
    work = tempfile.mkdtemp(prefix="bindery-pubsub-bench-")
    emulator_port = free_port()
    endpoint = f"http://127.0.0.1:{emulator_port}"
    # As Google's clients: bindery finds the emulator through PUBSUB_EMULATOR_HOST.
    os.environ["PUBSUB_EMULATOR_HOST"] = f"127.0.0.1:{emulator_port}"
    emulator = start_emulator(emulator_port)
    try:
        create(emulator_port, "bench")
        # The JVM compiles its hot paths in the first seconds: whoever ran first would pay for it.
        python_publish_rate(emulator_port, "bench", args.clients, args.warmup)
        components = os.path.join(work, "components")
        os.makedirs(components)
        write_component(components, "events", "bindings.gcp.pubsub",
                        {"topic": "bench", "projectID": PROJECT, "direction": "output"})
        port = free_port()
        bindery = start_bindery(os.path.join(release, "bindery"), port, "--resources-path", components)
        try:
            if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204):
                raise RuntimeError("bindery did not become ready")
            body = json.dumps({"operation": "create", "data": PAYLOAD})
            ours = wrk(f"http://127.0.0.1:{port}/v1.0/bindings/events", body, connections=args.clients,
                       seconds=args.seconds)
        finally:
            bindery.terminate()
            bindery.wait()
        python_figure = python_publish_rate(emulator_port, "bench", args.clients, args.seconds)
        publish_body = json.dumps({"messages": [{"data": base64.b64encode(PAYLOAD.encode()).decode()}]})
        curl_figure = curl_rate(args.clients, args.seconds,
                                ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", publish_body],
                                lambda i, b, n: f"{endpoint}/v1/projects/{PROJECT}/topics/bench:publish")
        delivered, in_ours = input_rate(release, emulator_port, work, args.messages)
        in_python = python_input_rate(emulator_port, args.messages)
    finally:
        emulator.terminate()
        emulator.wait()
    print(f"one Pub/Sub emulator, {args.clients} clients each, {args.seconds} s per run, 1 KiB messages")
    print(f"publish  bindery create (wrk -c{args.clients}): {ours['rps']:8.0f} req/s  p50 {ours['p50']:.2f} ms  "
          f"p99 {ours['p99']:.2f} ms  non-2xx {ours['non2xx']}  errors {ours['errors']}")
    print(f"{'':8s} Python ({args.clients} threads):     {python_figure:8.0f} req/s   ratio bindery/Python {ours['rps'] / python_figure:.2f}")
    print(f"{'':8s} curl ({args.clients} processes):     {curl_figure:8.0f} req/s   ratio bindery/curl   {ours['rps'] / curl_figure:.2f}")
    print(f"input    bindery to a trivial app: {delivered} of {args.messages} delivered, {in_ours:8.0f} msg/s")
    print(f"{'':8s} Python pull(10)+ack loop:       {in_python:8.0f} msg/s   ratio bindery/Python {in_ours / in_python:.2f}")


if __name__ == "__main__":
    main()
