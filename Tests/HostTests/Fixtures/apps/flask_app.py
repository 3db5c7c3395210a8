"""A Dapr app as users write it: Flask, one handler per input binding at POST /<name>.

It records every request it receives (method, path, headers, body) and serves them back at
GET /seen. POST /failing... answers 500 (for nack tests), POST /flaky... fails the first delivery of ids
that are multiples of 100, POST /slow... takes 50 ms and counts
how many run at once (GET /concurrency), OPTIONS /unsubscribed... answers 404,
POST /exit makes it exit with status 3.
"""
import json
import os
import threading
import time

from flask import Flask, jsonify, request

app = Flask(__name__)
seen = []
lock = threading.Lock()
failed_once = set()
in_flight = 0
most_in_flight = 0


def record():
    with lock:
        seen.append({"method": request.method, "path": request.path,
                     "headers": {k: v for k, v in request.headers.items()},
                     "body": request.get_data(as_text=True)})


@app.route("/<path:name>", methods=["POST", "OPTIONS"])
def binding(name):
    """Every input binding: 200, except /failing (500 on POST) and /unsubscribed (404)."""
    if name.startswith("unsubscribed"):
        return "not here", 404
    record()
    if name.startswith("failing") and request.method == "POST":
        return "nope", 500
    if name.startswith("flaky") and request.method == "POST":
        # Fails the first delivery of every message whose "id" is a multiple of 100.
        body = request.get_json(silent=True) or {}
        key = body.get("id") if isinstance(body, dict) else None
        with lock:
            first = isinstance(key, int) and key % 100 == 0 and key not in failed_once
            if first:
                failed_once.add(key)
        if first:
            return "try again", 500
    if name.startswith("slow") and request.method == "POST":
        global in_flight, most_in_flight
        with lock:
            in_flight += 1
            most_in_flight = max(most_in_flight, in_flight)
        time.sleep(0.05)
        with lock:
            in_flight -= 1
    return "", 200


@app.route("/concurrency")
def concurrency():
    with lock:
        return jsonify({"most": most_in_flight})


@app.route("/seen")
def show():
    with lock:
        return jsonify(seen)


@app.route("/exit", methods=["POST"])
def leave():
    threading.Timer(0.05, lambda: os._exit(3)).start()
    return "", 200


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["APP_PORT"]), threaded=True)
