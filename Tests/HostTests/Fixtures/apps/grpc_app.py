"""A gRPC Dapr app on the Python SDK's `dapr.ext.grpc.App`, as users write one: receives the
input binding `ticks` and records each event in OUT (one JSON line per event), and raises for
every event of the binding `failing`, which must nack it.
usage: grpc_app.py OUT   (listens on APP_PORT)
"""
import json
import os
import sys

from dapr.ext.grpc import App, BindingRequest

out = sys.argv[1]
app = App()


@app.binding("ticks")
def ticks(request: BindingRequest):
    with open(out, "a") as f:
        f.write(json.dumps({"data": request.data.hex(), "metadata": dict(request.binding_metadata)}) + "\n")


@app.binding("failing")
def failing(request: BindingRequest):
    raise RuntimeError("the handler refused this event")


app.run(int(os.environ["APP_PORT"]))
