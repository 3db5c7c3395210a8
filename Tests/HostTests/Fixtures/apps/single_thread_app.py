"""An app served by Python's single-threaded http.server.HTTPServer, as many tutorials write it.

It serves one connection at a time and keeps HTTP/1.1 connections open, so it reads a request
only from the connection it is serving: a client that probes on one connection and posts on
another is never answered. Each request is appended as "METHOD PATH" to the file named by the
second argument (the server cannot answer a GET of its own while a client holds it).
usage: single_thread_app.py PORT RECORD_FILE
"""
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

record_file = sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle, the body waits for the client's delayed
    # ACK of the headers (40 ms per request on Linux).
    disable_nagle_algorithm = True

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        with open(record_file, "a") as out:
            out.write(f"{self.command} {self.path}\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_OPTIONS = answer
    do_POST = answer

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
