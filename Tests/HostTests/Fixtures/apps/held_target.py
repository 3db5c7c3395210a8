"""An HTTP server that holds every request until the test releases it, for shutdown tests.

Any method on any path is held (counted in GET /_held) until POST /_release, then answered
200 "released"; after the release, requests are answered at once. GET /_received counts every
request held or answered. The server keeps no state beyond these counters.
usage: held_target.py PORT
"""
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

released = threading.Event()
lock = threading.Lock()
held = 0
received = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle, the body waits for the client's delayed
    # ACK of the headers (40 ms per request on Linux).
    disable_nagle_algorithm = True

    def reply(self, text):
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def hold(self):
        global held, received
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.path == "/_held":
            with lock:
                return self.reply(str(held))
        if self.path == "/_received":
            with lock:
                return self.reply(str(received))
        if self.path == "/_release":
            released.set()
            return self.reply("ok")
        with lock:
            held += 1
            received += 1
        released.wait()
        with lock:
            held -= 1
        self.reply("released")

    do_GET = hold
    do_POST = hold
    do_PUT = hold
    do_OPTIONS = hold

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
