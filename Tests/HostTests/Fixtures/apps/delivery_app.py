"""An app for delivery tests, on the standard library only: delivery_app.py PORT STATUS_FILE DELAY.

POST /<anything> waits DELAY seconds, then answers the status written in STATUS_FILE (read for
every request, so a test can switch the app from failing to accepting), and counts
the requests it received and how many it held at once. GET /stats answers those counts as JSON
({"received": n, "most": m}). OPTIONS answers 200, so a subscription probe succeeds.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, STATUS_FILE, DELAY = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
lock = threading.Lock()
stats = {"received": 0, "most": 0}
in_flight = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle, the body waits for the client's delayed
    # ACK of the headers (40 ms per request on Linux).
    disable_nagle_algorithm = True

    def answer(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        global in_flight
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with lock:
            stats["received"] += 1
            in_flight += 1
            stats["most"] = max(stats["most"], in_flight)
        time.sleep(DELAY)
        with lock:
            in_flight -= 1
        with open(STATUS_FILE) as file:
            status = int(file.read().strip())
        self.answer(status, b"" if status < 300 else b"app says no")

    def do_OPTIONS(self):
        self.answer(200)

    def do_GET(self):
        with lock:
            body = json.dumps(stats).encode()
        self.answer(200, body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
