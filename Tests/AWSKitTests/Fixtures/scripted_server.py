"""An HTTP server that answers requests from a script, for what moto cannot be made to do
(5xx answers, throttling). usage: scripted_server.py PORT DIRECTORY
DIRECTORY/script.json: a list of [status, body]; request N gets entry N (the last one repeats).
Each request's method and path is appended to DIRECTORY/requests.log."""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, directory = int(sys.argv[1]), sys.argv[2]
count = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global count
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with open(os.path.join(directory, "script.json")) as f:
            script = json.load(f)
        status, body = script[min(count, len(script) - 1)]
        count += 1
        with open(os.path.join(directory, "requests.log"), "a") as f:
            f.write(f"{self.command} {self.path}\n")
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("X-Amzn-Requestid", f"request-{count}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
