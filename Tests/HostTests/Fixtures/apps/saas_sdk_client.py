"""A Dapr app on the Python SDK (`dapr` on PyPI) calling output bindings with invoke_binding
through the sync gRPC client, one call per step, as users do. It is told nothing but what the
sidecar exports (DAPR_GRPC_PORT, …) and writes what each step returned (data, metadata) or the
error the SDK raised to OUT as JSON.
usage: saas_sdk_client.py OUT STEPS_JSON
STEPS_JSON: [{"label": …, "binding": …, "operation": …, "data": "…", "metadata": {…}}, …]
"""
import json
import os
import sys

from dapr.clients import DaprClient

out, steps = sys.argv[1], json.loads(sys.argv[2])
seen = {}

with DaprClient() as client:
    for step in steps:
        try:
            r = client.invoke_binding(binding_name=step["binding"], operation=step["operation"],
                                      data=step.get("data", ""), binding_metadata=step.get("metadata", {}))
            seen[step["label"]] = {"data": r.data.decode("utf-8", "replace"), "metadata": dict(r.binding_metadata)}
        except Exception as error:  # the SDK wraps gRPC errors in DaprGrpcError
            code = getattr(error, "code", None)
            seen[step["label"]] = {"code": code().name if callable(code) else str(code), "error": str(error)}
with open(out + ".partial", "w") as f:
    json.dump(seen, f)
os.replace(out + ".partial", out)
