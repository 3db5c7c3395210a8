"""A Dapr app on the Python SDK (`dapr` on PyPI) using an S3 output binding as users do:
invoke_binding with create (key, Content-Type, presignTTL; the presigned URL is fetched with
curl), get, list and delete, through the sync client. It is told nothing but what the sidecar exports (DAPR_GRPC_PORT, …) and writes what
it saw to OUT as JSON.
usage: s3_sdk_client.py NAME OUT
"""
import json
import os
import subprocess
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
        binding_metadata={"key": key, "Content-Type": "text/plain", "presignTTL": "10m"}))
    # The presigned URL create returned, fetched with plain curl while the object is there.
    url = json.loads(seen["create"].get("data") or "{}").get("presignURL", "")
    seen["presigned"] = subprocess.run(["/usr/bin/curl", "-s", "-w", "\n%{http_code}", url],
                                       capture_output=True, text=True).stdout if url else "no presignURL"
    step("get", lambda: client.invoke_binding(binding_name=name, operation="get", binding_metadata={"key": key}))
    step("list", lambda: client.invoke_binding(
        binding_name=name, operation="list", data=json.dumps({"prefix": "sdk/"})))
    step("delete", lambda: client.invoke_binding(binding_name=name, operation="delete", binding_metadata={"key": key}))
    step("missing", lambda: client.invoke_binding(binding_name=name, operation="get", binding_metadata={"key": key}))
with open(out + ".partial", "w") as f:
    json.dump(seen, f)
os.replace(out + ".partial", out)
