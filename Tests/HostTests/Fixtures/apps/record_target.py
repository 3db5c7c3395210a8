"""An HTTP target that records what reaches it, for the gRPC API tests.

Every request but GET /_received is recorded (method, path, headers, body as hex) and answered
200 with the JSON body {"received": N}; GET /_received returns the records as a JSON list.
Requests whose path starts with /slow/ are answered after SECONDS seconds (/slow/SECONDS).
usage: record_target.py PORT
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
records = []


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

    def record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock:
            records.append({"method": self.command, "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body.hex()})
            count = len(records)
        if self.path.startswith("/slow/"):
            time.sleep(float(self.path.split("/")[2]))
        self.reply(200, json.dumps({"received": count}).encode())

    def do_GET(self):
        if self.path == "/_received":
            with lock:
                self.reply(200, json.dumps(records).encode())
        else:
            self.record()

    do_POST = do_PUT = do_DELETE = do_PATCH = record

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
