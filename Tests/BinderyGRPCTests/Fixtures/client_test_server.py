"""A real gRPC server (Python grpcio) for GRPCClient's tests.

usage: client_test_server.py <port | unix:PATH> [max_concurrent_streams]

Serves /test.Peer/<Method> with a generic handler and raw-bytes (de)serializers:
  Echo         returns the request bytes
  Fail         request "CODE:message" -> aborts with that status code number and message
  Sleep        request "<milliseconds>" -> sleeps, returns b"slept"
  Metadata     returns the request's metadata as "name=value" lines (sorted); sends it back as
               initial metadata ("echo-" prefix) and trailing metadata ("trail-" prefix)
  Concurrency  sleeps 300 ms and returns the most calls it saw in flight at once
  Big          request "<bytes>" -> returns that many bytes of b"x"
  Shutdown     request "<milliseconds>" -> stops the server with that grace (GOAWAY, in-flight
               calls finish, new ones are refused), returns b"stopping"
Prints "ready" once serving.
"""
import sys
import threading
import time
from concurrent import futures

import grpc

SERVER = None
lock = threading.Lock()
in_flight = 0
most = 0


def echo(request, context):
    return request


def fail(request, context):
    code, _, message = request.decode("utf-8").partition(":")
    status = next(s for s in grpc.StatusCode if s.value[0] == int(code))
    context.abort(status, message)


def sleep(request, context):
    time.sleep(int(request.decode()) / 1000)
    return b"slept"


def metadata(request, context):
    pairs = sorted((k, v if isinstance(v, str) else v.decode("utf-8")) for k, v in context.invocation_metadata())
    pairs = [(k, v) for k, v in pairs if k != "user-agent"]
    context.send_initial_metadata([("echo-" + k, v) for k, v in pairs if not k.endswith("-bin")])
    context.set_trailing_metadata([("trail-" + k, v.encode() if k.endswith("-bin") else v) for k, v in pairs])
    return "\n".join("%s=%s" % pair for pair in pairs).encode("utf-8")


def concurrency(request, context):
    global in_flight, most
    with lock:
        in_flight += 1
        most = max(most, in_flight)
    time.sleep(0.3)
    with lock:
        in_flight -= 1
        return str(most).encode()


def big(request, context):
    return b"x" * int(request.decode())


def shutdown(request, context):
    grace = int(request.decode()) / 1000
    threading.Thread(target=lambda: SERVER.stop(grace)).start()
    return b"stopping"


METHODS = {"Shutdown": shutdown, "Echo": echo, "Fail": fail, "Sleep": sleep, "Metadata": metadata, "Concurrency": concurrency, "Big": big}


class Handler(grpc.GenericRpcHandler):
    def service(self, details):
        name = details.method.rsplit("/", 1)[-1]
        if not details.method.startswith("/test.Peer/") or name not in METHODS:
            return None
        return grpc.unary_unary_rpc_method_handler(METHODS[name])


def main():
    options = [("grpc.so_reuseport", 0)]
    if len(sys.argv) > 2:
        options.append(("grpc.max_concurrent_streams", int(sys.argv[2])))
    global SERVER
    server = SERVER = grpc.server(futures.ThreadPoolExecutor(max_workers=32), options=options)
    server.add_generic_rpc_handlers((Handler(),))
    where = sys.argv[1]
    server.add_insecure_port(where if where.startswith("unix:") else "127.0.0.1:" + where)
    server.start()
    print("ready", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
