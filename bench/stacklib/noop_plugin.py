"""``pulumi-resource-bench-noop``: a native provider plugin whose CRUD does nothing.

The engine's floor for the ``BatchJob`` stacks: the same mechanism as the
``azure-batch-jobs`` plugin (a Python gRPC server on the SDK's generated
``ResourceProviderServicer``, found through ``plugins: providers`` in ``Pulumi.yaml``), with
every step answered from its inputs. ``component_bench.StackRun`` writes the executable.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import Any

import grpc.aio
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

PLUGIN_NAME = "bench-noop"
RESOURCE_TYPE = f"{PLUGIN_NAME}:index:Noop"
#: The same, with what the ``BatchJob`` provider adds to a job's properties (values of the
#: same shape and size as a job's): a job's state entry, without any of its work.
SIZED_RESOURCE_TYPE = f"{PLUGIN_NAME}:index:SizedNoop"
#: What ``BatchJob``'s check adds to the inputs: the account and the generated-id flag.
CHECKED = {"accountName": "emulator", "endpoint": "http://127.0.0.1:40000", "jobIdGenerated": False}
#: What its create adds to the outputs: the service's facts about the job.
FACTS = {
    "creationTime": "2026-12-04T17:52:35.709323Z",
    "etag": "0xCCD239697632CA",
    "lastModified": "2026-12-04T17:52:35.709422Z",
    "owner": "0db2e17a5fdb4d19",
    "preparationAndReleaseStatus": [],
    "state": "active",
    "taskCounts": {"active": 0, "completed": 10, "failed": 0, "running": 0, "succeeded": 10},
}


def _sized(urn: str) -> bool:
    """True for a resource of the sized type (declared at the top level of its stack)."""
    return urn.split("::")[2] == SIZED_RESOURCE_TYPE


def _with(properties: struct_pb2.Struct, extra: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.CopyFrom(properties)
    struct.update(extra)
    return struct


class NoopServicer(provider_pb2_grpc.ResourceProviderServicer):
    """Echoes inputs into outputs, as the ``BatchJob`` provider does, and calls nothing."""

    async def GetPluginInfo(self, request: Any, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version="0.0.1")

    async def CheckConfig(self, request: Any, context: Any) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    async def Configure(self, request: Any, context: Any) -> provider_pb2.ConfigureResponse:
        return provider_pb2.ConfigureResponse(acceptSecrets=True, supportsPreview=False)

    async def Check(self, request: Any, context: Any) -> provider_pb2.CheckResponse:
        if _sized(request.urn):
            return provider_pb2.CheckResponse(inputs=_with(request.news, CHECKED))
        return provider_pb2.CheckResponse(inputs=request.news)

    async def Diff(self, request: Any, context: Any) -> provider_pb2.DiffResponse:
        same = request.olds == request.news
        changes = provider_pb2.DiffResponse
        return changes(changes=changes.DIFF_NONE if same else changes.DIFF_SOME)

    async def Create(self, request: Any, context: Any) -> provider_pb2.CreateResponse:
        job_id = request.properties.fields["jobId"].string_value or "noop"
        if _sized(request.urn):
            url = f"{CHECKED['endpoint']}/jobs/{job_id}"
            properties = _with(request.properties, {**FACTS, "url": url})
            return provider_pb2.CreateResponse(id=job_id, properties=properties)
        return provider_pb2.CreateResponse(id=job_id, properties=request.properties)

    async def Read(self, request: Any, context: Any) -> provider_pb2.ReadResponse:
        return provider_pb2.ReadResponse(
            id=request.id, properties=request.properties, inputs=request.inputs
        )

    async def Update(self, request: Any, context: Any) -> provider_pb2.UpdateResponse:
        return provider_pb2.UpdateResponse(properties=request.news)

    async def Delete(self, request: Any, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()


# Its own serve loop, not the provider's: importing that would load azure-batch into the floor.
async def serve() -> None:
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(NoopServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    await server.wait_for_termination()


def main() -> None:
    """Serve until the engine stops the plugin."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()
