"""The trivial app of bench/kafka_input.py: answers every POST 200 at once and records when the
first and the last arrived; GET /stats answers {"count": n, "first": t0, "last": t1} (monotonic
seconds). usage: kafka_input_app.py PORT"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
stats = {"count": 0, "first": 0.0, "last": 0.0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with lock:
            stats["count"] += 1
            stats["last"] = time.monotonic()
            if stats["count"] == 1:
                stats["first"] = stats["last"]
        self.reply(b"")

    def do_OPTIONS(self):
        self.reply(b"")

    def do_GET(self):
        with lock:
            self.reply(json.dumps(stats).encode())

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
