"""An input app on the standard library that keeps every request header: Flask (Werkzeug) drops
header names holding an underscore, and Dapr's Kafka metadata (__key, __topic, …) all do.

POST /<anything> is recorded (path, lower-cased headers, body as text) and answered 200;
OPTIONS answers 200 (the subscription probe); GET /_received returns the records as JSON.
With a second argument, each POST body is also appended as one line to that file (flushed at
once), so a test still sees every delivery after the app has exited with its bindery.
usage: kafka_record_app.py PORT [BODIES_FILE]
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
records = []
bodies = open(sys.argv[2], "a") if len(sys.argv) > 2 else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle, the body waits for the client's delayed
    # ACK of the headers (40 ms per request on Linux).
    disable_nagle_algorithm = True

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock:
            records.append({"method": "POST", "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body.decode("utf-8", "replace")})
            if bodies:
                bodies.write(body.decode("utf-8", "replace") + "\n")
                bodies.flush()
        self.reply(200, b"{}")

    def do_OPTIONS(self):
        self.reply(200, b"{}")

    def do_GET(self):
        with lock:
            self.reply(200, json.dumps(records).encode())

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
