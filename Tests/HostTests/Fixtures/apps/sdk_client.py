"""A Dapr app written as users write them with the Python SDK (`dapr` on PyPI): calls output
binding NAME with invoke_binding, through the sync and the async client, and reads the sidecar's
metadata with get_metadata. It is told nothing but what the sidecar exports (DAPR_GRPC_PORT,
DAPR_HTTP_PORT, DAPR_API_TOKEN), and writes what it saw to OUT as JSON.
usage: sdk_client.py NAME OUT [sync|async|metadata]...
"""
import asyncio
import json
import os
import sys

import grpc
from dapr.aio.clients import DaprClient as AsyncDaprClient
from dapr.clients import DaprClient

name, out, steps = sys.argv[1], sys.argv[2], sys.argv[3:] or ["sync", "async", "metadata"]
# 52 bytes of JSON, spaced as the app wrote them: the gRPC API must pass them on unchanged.
payload = json.dumps({"order": 17, "note": "exact bytes", "list": [1, 2]})
seen = {"payload": payload.encode().hex()}


def outcome(step, call):
    try:
        seen[step] = call()
    except grpc.RpcError as error:
        seen[step] = {"code": error.code().name, "details": error.details()}
    except Exception as error:  # the SDK wraps gRPC errors in DaprGrpcError
        code = getattr(error, "code", None)
        seen[step] = {"code": code().name if callable(code) else str(code), "details": str(error)}


def response(r):
    return {"data": r.data.hex(), "metadata": dict(r.binding_metadata)}


async def invoke_async():
    async with AsyncDaprClient() as client:
        return response(await client.invoke_binding(binding_name=name, operation="post", data=payload))


with DaprClient() as client:
    for step in steps:
        if step == "sync":
            outcome("sync", lambda: response(client.invoke_binding(binding_name=name, operation="post", data=payload)))
        elif step == "async":
            outcome("async", lambda: asyncio.run(invoke_async()))
        elif step == "metadata":
            def metadata():
                m = client.get_metadata()
                return {"id": m.application_id,
                        "components": [{"name": c.name, "type": c.type, "version": c.version,
                                        "capabilities": list(c.capabilities)} for c in m.registered_components],
                        "extended": dict(m.extended_metadata)}
            outcome("metadata", metadata)
with open(out + ".partial", "w") as f:
    json.dump(seen, f)
os.replace(out + ".partial", out)
