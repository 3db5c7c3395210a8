"""A Dapr app written as users write them with the Python SDK (`dapr` on PyPI): calls output
binding NAME with OPERATION, DATA and the request metadata META (JSON) through invoke_binding
(gRPC), and writes what it got back (or the error) to OUT as JSON. It is told nothing but what
the sidecar exports (DAPR_GRPC_PORT, DAPR_HTTP_PORT).
usage: dynamodb_sdk_client.py NAME OPERATION DATA META OUT
"""
import json
import os
import sys

from dapr.clients import DaprClient

name, operation, data, meta, out = sys.argv[1:]
try:
    with DaprClient() as client:
        response = client.invoke_binding(binding_name=name, operation=operation, data=data,
                                         binding_metadata=json.loads(meta))
        seen = {"data": response.data.decode(errors="replace"), "metadata": dict(response.binding_metadata)}
except Exception as error:  # the SDK wraps gRPC errors in DaprGrpcError
    code = getattr(error, "code", None)
    seen = {"code": code().name if callable(code) else str(code), "details": str(error)}
with open(out + ".partial", "w") as f:
    json.dump(seen, f)
os.replace(out + ".partial", out)
