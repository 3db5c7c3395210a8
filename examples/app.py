"""The demo app: a Dapr app using only Python's standard library.

It receives cron events from the `ticker` binding at POST /ticker, writes each one to a file
through the `files` binding (localstorage) and reports it through the `webhook` binding (http),
whose target is this app's own POST /audit. After DEMO_EVENTS events (default 5) it exits,
and `bindery run` exits with it.
"""
import json
import os
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DAPR = f"http://127.0.0.1:{os.environ.get('DAPR_HTTP_PORT', '3500')}"
LIMIT = int(os.environ.get("DEMO_EVENTS", "5"))
seen = 0
lock = threading.Lock()


def invoke(binding, operation, data=None, metadata=None):
    body = json.dumps({"operation": operation, "data": data, "metadata": metadata or {}}).encode()
    request = urllib.request.Request(f"{DAPR}/v1.0/bindings/{binding}", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read(), dict(response.headers)


class App(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        global seen
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/audit":
            self.reply(200, b'{"audited":true}')
            return
        if self.path != "/ticker":
            self.reply(404, b"")
            return
        with lock:
            seen += 1
            n = seen
        when = self.headers.get("readTimeUTC", "?")
        print(f"app: tick {n} at {when}", flush=True)
        status, created, _ = invoke("files", "create", {"tick": n, "at": when}, {"fileName": f"tick-{n}.json"})
        print(f"app:   files.create -> {status} {created.decode()}", flush=True)
        status, answer, headers = invoke("webhook", "post", {"tick": n}, {"path": "/audit"})
        print(f"app:   webhook.post -> {status} {answer.decode()} (target said {headers.get('metadata.statusCode')})", flush=True)
        self.reply(200, b"")
        if n >= LIMIT:
            print(f"app: {n} events handled, exiting", flush=True)
            threading.Thread(target=self.server.shutdown).start()

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    port = int(os.environ.get("APP_PORT", "8088"))
    server = ThreadingHTTPServer(("127.0.0.1", port), App)
    print(f"app: listening on {port}, Dapr API at {DAPR}", flush=True)
    server.serve_forever()
    sys.exit(0)
