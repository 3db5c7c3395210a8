"""A gRPC app on the Dapr Python SDK (dapr.ext.grpc.App) for GRPCAppChannel's tests.

usage: binding_app.py <port> <record file>

Subscribes to the input bindings `orders` and `audit`. Every event is appended to the record
file as one JSON line: binding name, text, binding metadata and the dapr-api-token the call
carried. An event whose text starts with "fail" raises in the handler (the SDK's server then
answers status UNKNOWN).
"""
import json
import sys

from dapr.ext.grpc import App, BindingRequest

port, record = int(sys.argv[1]), sys.argv[2]
app = App()


def handle(name, request: BindingRequest):
    token = request.metadata.get("dapr-api-token")  # the call's gRPC metadata, as a dict
    if isinstance(token, list):
        token = token[0]
    entry = {
        "binding": name,
        "text": request.text(),
        "metadata": request.binding_metadata,
        "token": token,
    }
    with open(record, "a") as out:
        out.write(json.dumps(entry) + "\n")
    if request.text().startswith("fail"):
        raise ValueError("refusé: " + request.text())


@app.binding("orders")
def orders(request: BindingRequest):
    handle("orders", request)


@app.binding("audit")
def audit(request: BindingRequest):
    handle("audit", request)


app.run(port, listen_address="127.0.0.1")
