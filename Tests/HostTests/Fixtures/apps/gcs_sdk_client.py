"""A Dapr app on the Python SDK (`dapr` on PyPI) using a gcp.bucket output binding as users do:
invoke_binding with create (key, contentType), get (encodeBase64), list, copy, rename, delete and
a get of the deleted object, through the sync client. It is told nothing but what the sidecar
exports (DAPR_GRPC_PORT, …) and writes what it saw to OUT as JSON.
usage: gcs_sdk_client.py NAME OUT
"""
import json
import os
import sys

from dapr.clients import DaprClient

name, out = sys.argv[1], sys.argv[2]
seen = {}


def step(label, call):
    try:
        r = call()
        seen[label] = {"data": r.data.decode("utf-8", "replace"), "metadata": dict(r.binding_metadata)}
    except Exception as error:  # the SDK wraps gRPC errors in DaprGrpcError
        seen[label] = {"error": str(error)}


with DaprClient() as client:
    key = "sdk/hello wörld+1.txt"
    step("create", lambda: client.invoke_binding(
        binding_name=name, operation="create", data=b"from the python sdk",
        binding_metadata={"key": key, "contentType": "text/plain"}))
    step("get", lambda: client.invoke_binding(
        binding_name=name, operation="get", binding_metadata={"key": key, "encodeBase64": "true"}))
    step("list", lambda: client.invoke_binding(
        binding_name=name, operation="list", data=json.dumps({"prefix": "sdk/"})))
    step("copy", lambda: client.invoke_binding(
        binding_name=name, operation="copy", data=json.dumps({"destinationKey": "sdk/copy.txt"}),
        binding_metadata={"key": key}))
    step("rename", lambda: client.invoke_binding(
        binding_name=name, operation="rename", data=json.dumps({"newName": "sdk/renamed.txt"}),
        binding_metadata={"key": "sdk/copy.txt"}))
    step("delete", lambda: client.invoke_binding(binding_name=name, operation="delete", binding_metadata={"key": key}))
    step("missing", lambda: client.invoke_binding(binding_name=name, operation="get", binding_metadata={"key": key}))
with open(out + ".partial", "w") as f:
    json.dump(seen, f)
os.replace(out + ".partial", out)
