"""A Dapr app as users write it for a gcp.pubsub input binding: Flask, one handler at POST /<name>.

Every delivery is appended as one JSON line (path, body, answer, and the `id` and `publishTime`
headers the binding sends) to the file named by PUBSUB_APP_LOG, flushed at once, so a test counts
deliveries across the app's and bindery's restarts. POST /flaky... answers 500 to the first
delivery of each message whose "id" is a multiple of 3 (and 200 to its redelivery); POST /slow...
takes 20 ms per message.
"""
import json
import os
import threading
import time

from flask import Flask, request

app = Flask(__name__)
lock = threading.Lock()
failed_once = set()
log = open(os.environ["PUBSUB_APP_LOG"], "a")


def write(answer):
    entry = {
        "path": request.path,
        "body": request.get_data(as_text=True),
        "answer": answer,
        "id": request.headers.get("id", ""),
        "publishTime": request.headers.get("publishTime", ""),
    }
    with lock:
        log.write(json.dumps(entry) + "\n")
        log.flush()


@app.route("/<path:name>", methods=["POST", "OPTIONS"])
def binding(name):
    if request.method == "OPTIONS":
        return "", 200
    answer = 200
    if name.startswith("flaky"):
        body = request.get_json(silent=True)
        key = body.get("id") if isinstance(body, dict) else None
        with lock:
            if isinstance(key, int) and key % 3 == 0 and key not in failed_once:
                failed_once.add(key)
                answer = 500
    if name.startswith("slow"):
        time.sleep(0.02)
    write(answer)
    return ("try again" if answer == 500 else ""), answer


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["APP_PORT"]), threaded=True)
