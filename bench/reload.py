"""Hot-reload benchmark (issue 4): under wrk load (32 connections) on an output binding,
(1) its component file is rewritten 100 times alternating spec.type between two providers,
(2) its driver .so is replaced 20 times by rebuilt versions (10 by rename, 10 by cp);
then (3) a 100 ms cron binding is swapped 20 times while an app counts ticks.
Prints failures, swap latencies (median, p99, max) and RSS growth.

    python3 bench/reload.py
"""
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, build_release, free_port, rss_kb, sh, start_bindery, wait_status

FIXTURE = os.path.join(ROOT, "Tests", "HostTests", "Fixtures", "fixture_driver.c")
INCLUDE = os.path.join(ROOT, "Sources", "PluginABI", "include")
BODY = '{"operation":"echo","data":{"a":1}}'


def build_provider(out, type_name, version):
    sh(f"cc -std=c11 -O2 -shared -fPIC -fvisibility=hidden -pthread -I {INCLUDE} "
       f"-DTYPE_NAME='\"{type_name}\"' -DDRIVER_VERSION='\"{version}\"' {FIXTURE} -o {out}")


def write_atomically(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


def output_component(type_name):
    return ("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: out\nspec:\n"
            f"  type: {type_name}\n  metadata:\n    - name: token\n      value: t\n"
            "    - name: direction\n      value: output\n")


class Probe:
    """One keep-alive connection asking the binding which provider and version answer."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)

    def ask(self):
        self.connection.request("POST", "/v1.0/bindings/out", BODY)
        response = self.connection.getresponse()
        response.read()
        return response.status, response.getheader("metadata.provider"), response.getheader("metadata.version")

    def wait_for(self, index, value, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ask()[index] == value:
                return True
        return False


def start_wrk(port, seconds):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(f'wrk.method = "POST"\nwrk.body = [[{BODY}]]\n'
                 'done = function(summary, latency, requests)\n'
                 '  io.write(string.format("requests=%d non2xx=%d errors=%d\\n", summary.requests, summary.errors.status, '
                 'summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\nend\n')
    script.close()
    return subprocess.Popen(["wrk", "-t1", "-c32", f"-d{seconds}s", "-s", script.name,
                             f"http://127.0.0.1:{port}/v1.0/bindings/out"], stdout=subprocess.PIPE, text=True)


def wrk_counts(process):
    out = process.communicate()[0]
    line = [l for l in out.splitlines() if l.startswith("requests=")][0]
    return dict(part.split("=") for part in line.split())


def summary(ms):
    ms = sorted(ms)
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
    return f"median {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms (n={len(ms)})"


def serve_under_load(binary, drivers, components, seconds):
    """Starts bindery on a component of provider-a, waits until it serves, and starts wrk for
    `seconds` on it; returns the port, the process, a Probe and the wrk process."""
    write_atomically(os.path.join(components, "out.yaml"), output_component("bindings.provider-a"))
    port = free_port()
    process = start_bindery(binary, port, "--drivers-path", drivers, "--resources-path", components)
    if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204):
        process.terminate()
        raise SystemExit("bindery never became healthy")
    probe = Probe(port)
    load = start_wrk(port, seconds)
    time.sleep(1)
    return port, process, probe, load


def provider_switches(binary, work):
    drivers, components = os.path.join(work, "drivers"), os.path.join(work, "components")
    os.makedirs(drivers)
    os.makedirs(components)
    build_provider(os.path.join(drivers, "a.so"), "bindings.provider-a", "1.0.0")
    build_provider(os.path.join(drivers, "b.so"), "bindings.provider-b", "1.0.0")
    port, process, probe, load = serve_under_load(binary, drivers, components, 25)
    try:
        latencies = []
        for round_ in range(100):
            type_name = "bindings.provider-b" if round_ % 2 == 0 else "bindings.provider-a"
            began = time.monotonic()
            write_atomically(os.path.join(components, "out.yaml"), output_component(type_name))
            assert probe.wait_for(1, type_name), f"{type_name} never answered"
            latencies.append((time.monotonic() - began) * 1000)
            time.sleep(0.02)
        counts = wrk_counts(load)
        print("1. component file rewritten 100 times, spec.type alternating provider-a / provider-b")
        print(f"   wrk: {counts['requests']} requests, {counts['non2xx']} non-2xx, {counts['errors']} socket errors")
        print(f"   write -> new provider answering: {summary(latencies)}  (target p99 <= 50 ms)")
    finally:
        process.terminate()
        process.wait()


def driver_swaps(binary, work):
    drivers, components, builds = (os.path.join(work, name) for name in ("drivers2", "components2", "builds"))
    for d in (drivers, components, builds):
        os.makedirs(d)
    for k in range(21):
        build_provider(os.path.join(builds, f"v{k}.so"), "bindings.provider-a", f"1.0.{k}")
    shutil.copy(os.path.join(builds, "v0.so"), os.path.join(drivers, "a.so"))
    port, process, probe, load = serve_under_load(binary, drivers, components, 15)
    try:
        rss_before = rss_kb(process.pid)[0]
        latencies = {"rename": [], "cp": []}
        for k in range(1, 21):
            how = "rename" if k % 2 else "cp"
            began = time.monotonic()
            if how == "rename":
                shutil.copy(os.path.join(builds, f"v{k}.so"), os.path.join(drivers, ".a.so.tmp"))
                os.rename(os.path.join(drivers, ".a.so.tmp"), os.path.join(drivers, "a.so"))
            else:
                sh(f"cp {os.path.join(builds, f'v{k}.so')} {os.path.join(drivers, 'a.so')}")
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/v1.0/metadata")
                meta = json.loads(c.getresponse().read())
                c.close()
                if meta["components"][0].get("driverVersion") == f"1.0.{k}":
                    break
            latencies[how].append((time.monotonic() - began) * 1000)
            assert probe.wait_for(2, f"1.0.{k}")
            time.sleep(0.05)
        rss_after = rss_kb(process.pid)[0]
        counts = wrk_counts(load)
        print("2. driver .so replaced 20 times by rebuilt versions (10 by rename, 10 by cp over the file)")
        print(f"   wrk: {counts['requests']} requests, {counts['non2xx']} non-2xx, {counts['errors']} socket errors")
        for how, values in latencies.items():
            print(f"   {how:6} -> version in /v1.0/metadata: {summary(values)}  (target <= 200 ms)")
        print(f"   retained images: {meta['retainedDriverImages']}, RSS {rss_before / 1024:.1f} -> {rss_after / 1024:.1f} MB: "
              f"{(rss_after - rss_before) / 20:.0f} KB per swap")
    finally:
        process.terminate()
        process.wait()


class Ticks(BaseHTTPRequestHandler):
    seen = []

    def log_message(self, *args):
        pass

    def do_OPTIONS(self):
        self.send_response(200)
        self.end_headers()

    def do_POST(self):
        Ticks.seen.append((time.monotonic(), self.headers.get("readTimeUTC")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def cron_swaps(binary, work):
    components = os.path.join(work, "components3")
    os.makedirs(components)
    app_port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", app_port), Ticks)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def cron(schedule):
        write_atomically(os.path.join(components, "ticker.yaml"),
                         "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ticker\nspec:\n"
                         f"  type: bindings.cron\n  metadata:\n    - name: schedule\n      value: \"{schedule}\"\n")
    cron("@every 100ms")
    port = free_port()
    process = start_bindery(binary, port, "--app-port", str(app_port), "--resources-path", components)
    try:
        assert wait_status(f"http://127.0.0.1:{port}/v1.0/healthz", 204)
        time.sleep(0.5)
        began = time.monotonic()
        for k in range(20):
            cron("@every 0.1s" if k % 2 == 0 else "@every 100ms")
            time.sleep(0.3)
        elapsed = time.monotonic() - began
    finally:
        process.terminate()
        process.wait()
        server.shutdown()
    ticks = [t for t in Ticks.seen if began <= t[0] <= began + elapsed]
    times = [stamp for _, stamp in ticks]
    duplicates = len(times) - len(set(times))
    expected = int(elapsed / 0.1)
    print("3. cron @every 100ms swapped 20 times (every 300 ms)")
    print(f"   {len(ticks)} ticks delivered in {elapsed:.2f} s (uninterrupted: {expected}); duplicates: {duplicates}; "
          f"lost to swaps: {max(0, expected - len(ticks))} ({max(0, expected - len(ticks)) / 20:.2f} per swap)")


def main():
    binary = os.path.join(build_release(), "bindery")
    work = tempfile.mkdtemp(prefix="bindery-reload-")
    provider_switches(binary, work)
    driver_swaps(binary, work)
    cron_swaps(binary, work)


if __name__ == "__main__":
    main()
