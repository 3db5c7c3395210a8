"""A real gRPC client (grpcio) for BinderyGRPC's server tests: unary calls with raw-bytes
messages on one channel, reported as JSON lines on stdout.

usage: grpc_client.py TARGET PATH [--size N] [--count N] [--timeout S] [--metadata K=V]...
                      [--cancel-after S] [--then-echo-after S]
TARGET is host:port or unix:/path. --count calls go out at once on the one channel; each
message is --size bytes (its call index repeated), so a reply can be checked against its call.
-bin metadata values are given in hex. --cancel-after cancels the calls (RST_STREAM) after S
seconds; --then-echo-after makes one more call to /test.Echo/Echo on the same channel S seconds
after the others ended. Prints one JSON object per call, in call order.
"""
import argparse
import json
import sys
import time

import grpc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("target")
    parser.add_argument("path")
    parser.add_argument("--size", type=int, default=16)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--metadata", action="append", default=[])
    parser.add_argument("--cancel-after", type=float, default=None)
    parser.add_argument("--then-echo-after", type=float, default=None)
    args = parser.parse_args()

    metadata = []
    for item in args.metadata:
        key, value = item.split("=", 1)
        metadata.append((key, bytes.fromhex(value) if key.endswith("-bin") else value))

    options = [("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)]
    with grpc.insecure_channel(args.target, options=options) as channel:
        call = channel.unary_unary(args.path)
        started = time.monotonic()
        futures = []
        for index in range(args.count):
            message = bytes([index % 251]) * args.size
            futures.append((message, call.future(message, timeout=args.timeout, metadata=metadata)))
        if args.cancel_after is not None:
            time.sleep(args.cancel_after)
            for _, future in futures:
                future.cancel()
        for message, future in futures:
            print(json.dumps(report(future, message, started)), flush=True)
        if args.then_echo_after is not None:
            time.sleep(args.then_echo_after)
            echo = channel.unary_unary("/test.Echo/Echo")
            print(json.dumps(report(echo.future(b"again", timeout=args.timeout), b"again", started)), flush=True)


def report(future, message, started):
    result = {"code": "OK", "details": "", "echoed": False, "initial": [], "trailing": []}
    try:
        response = future.result()
        result["echoed"] = response == message
        result["size"] = len(response)
    except grpc.FutureCancelledError:
        result["code"] = "CANCELLED"
        return result
    except grpc.RpcError as error:
        result["code"] = error.code().name
        result["details"] = error.details() or ""
    result["seconds"] = time.monotonic() - started
    result["initial"] = [pair(k, v) for k, v in (future.initial_metadata() or [])]
    result["trailing"] = [pair(k, v) for k, v in (future.trailing_metadata() or [])]
    return result


def pair(key, value):
    return [key, value.hex() if isinstance(value, bytes) else value]


if __name__ == "__main__":
    sys.exit(main())
