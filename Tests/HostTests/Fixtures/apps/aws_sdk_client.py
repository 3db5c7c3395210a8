"""A Dapr app that calls output binding NAME with the Python SDK (`dapr` on PyPI), operation
create, through the sync and the async gRPC client, each with DATA; it is told nothing but what
the sidecar exports (DAPR_GRPC_PORT, …) and writes each call's outcome to OUT as JSON.
usage: aws_sdk_client.py NAME OUT DATA_SYNC DATA_ASYNC
"""
import asyncio
import json
import os
import sys

from dapr.aio.clients import DaprClient as AsyncDaprClient
from dapr.clients import DaprClient

name, out, sync_data, async_data = sys.argv[1:5]
seen = {}


def outcome(step, call):
    try:
        r = call()
        seen[step] = {"data": r.data.decode("utf-8", "replace"), "metadata": dict(r.binding_metadata)}
    except Exception as error:  # the SDK wraps gRPC errors in DaprGrpcError
        code = getattr(error, "code", None)
        seen[step] = {"code": code().name if callable(code) else str(code), "details": str(error)}


async def invoke_async():
    async with AsyncDaprClient() as client:
        return await client.invoke_binding(binding_name=name, operation="create", data=async_data)


with DaprClient() as client:
    outcome("sync", lambda: client.invoke_binding(binding_name=name, operation="create", data=sync_data))
outcome("async", lambda: asyncio.run(invoke_async()))
with open(out + ".partial", "w") as f:
    json.dump(seen, f)
os.replace(out + ".partial", out)
