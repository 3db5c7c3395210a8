/// The HTTP(S) target the live tests call: a Python 3 `http.server` that echoes each request as
/// JSON. Query parameters steer it: `status=404`, `reason=Text`, `size=N` (N bytes of "x"),
/// `sleep=S` (seconds before answering), `header=Name:Value` (repeatable), `gzip=1`; GET
/// /sleeping answers how many requests are sleeping now. Arguments `cert key [clientCA]` serve
/// HTTPS (and require a client certificate). It prints its port, and exits when stdin closes.
let echoServerScript = #"""
    import gzip, json, os, ssl, sys, threading, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import urlsplit, parse_qs

    sleeping = 0
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def handle_any(self):
            global sleeping
            query = parse_qs(urlsplit(self.path).query)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if "sleep" in query:
                with lock:
                    sleeping += 1
                try:
                    time.sleep(float(query["sleep"][0]))
                finally:
                    with lock:
                        sleeping -= 1
            if urlsplit(self.path).path == "/sleeping":
                with lock:
                    payload = str(sleeping).encode()
            elif "size" in query:
                payload = b"x" * int(query["size"][0])
            else:
                payload = json.dumps({
                    "method": self.command,
                    "path": self.path,
                    "headers": [[k, v] for k, v in self.headers.items()],
                    "body": body.decode("utf-8", "replace"),
                    "hasBody": "Content-Length" in self.headers or "Transfer-Encoding" in self.headers,
                    "clientCert": bool(getattr(self.connection, "getpeercert", lambda: None)()),
                }).encode()
            status = int(query.get("status", ["200"])[0])
            if "reason" in query:
                self.send_response(status, query["reason"][0])
            else:
                self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for item in query.get("header", []):
                name, _, value = item.partition(":")
                self.send_header(name, value)
            if "gzip" in query:
                payload = gzip.compress(payload)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_TRACE = do_HEAD = handle_any

    class Server(ThreadingHTTPServer):
        request_queue_size = 1024
        daemon_threads = True

    def main():
        server = Server(("127.0.0.1", 0), Handler)
        if len(sys.argv) >= 3:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[1], sys.argv[2])
            if len(sys.argv) >= 4:
                context.verify_mode = ssl.CERT_REQUIRED
                context.load_verify_locations(sys.argv[3])
            server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        # Exit when the test process goes away (stdin closes).
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
        server.serve_forever()

    main()
    """#
