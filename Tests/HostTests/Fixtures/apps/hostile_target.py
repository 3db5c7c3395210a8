"""An HTTP target that answers header lines no valid server sends, written byte for byte.

GET /inject: "X-A: a<CR>Injected: 1" (a bare CR inside a value); /names: a header name with a
space beside a valid header; /status: a bare CR in the reason phrase. Every answer is 200 "ok"
and closes the connection.
usage: hostile_target.py PORT
"""
import socket
import sys
import threading

HEADS = {
    "/inject": b"HTTP/1.1 200 OK\r\nX-A: a\rInjected: 1\r\n",
    "/names": b"HTTP/1.1 200 OK\r\nBad Name: v\r\nX-Ok: fine\r\n",
    "/status": b"HTTP/1.1 200 OK\rInjected: 1\r\nX-Ok: fine\r\n",
}


def serve(connection):
    with connection:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = connection.recv(65536)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ")[1].decode()
        head = HEADS.get(path, b"HTTP/1.1 404 Not Found\r\n")
        connection.sendall(head + b"Content-Length: 2\r\nConnection: close\r\n\r\nok")


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
listener.listen(64)
while True:
    connection, _ = listener.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
