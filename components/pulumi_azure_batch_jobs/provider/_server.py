"""``pulumi-resource-azure-batch-jobs``: the provider plugin's gRPC server.

Written on the generated ``ResourceProviderServicer`` (``grpc.aio``) rather than the SDK's
experimental provider server: that server reports every exception with its traceback, sends
``DiffConfig`` kinds it cannot marshal, has no integers in its values and turns absent
properties into ``{}``; here each message is built as the engine expects it and a Batch
failure reaches the user as its one line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any, Protocol, TypeVar

import grpc
import grpc.aio
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import (
    engine_pb2,
    engine_pb2_grpc,
    plugin_pb2,
    provider_pb2,
    provider_pb2_grpc,
    status_pb2,
)

from ..core._connection import CONFIG_NAMESPACE
from ..core._diff_plan import DiffPlan
from ..core._errors import BatchJobError
from . import _schedule_bridge as schedule_bridge
from . import _spec_bridge as bridge
from ._provider import BatchJobsProvider, Progress, TasksWaitError, Urn
from ._schedule_provider import BatchJobSchedulesProvider
from ._schema import package_schema
from ._tokens import RESOURCE, SCHEDULE_RESOURCE
from ._wire import JOB, SCHEDULE, WireForm, reveal

DISTRIBUTION = "azure-batch-jobs-pulumi"
CONFIG_KEYS = ("endpoint", "accountName", "accountKey")
Response = TypeVar("Response")


def _plain(struct: struct_pb2.Struct) -> dict[str, Any]:
    value: dict[str, Any] = json_format.MessageToDict(struct)
    return value


def _struct(value: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(value))
    return struct


def _kind(old: Any, new: Any, replace: bool) -> Any:
    kinds = provider_pb2.PropertyDiff
    if old is None:
        return kinds.ADD_REPLACE if replace else kinds.ADD
    if new is None:
        return kinds.DELETE_REPLACE if replace else kinds.DELETE
    return kinds.UPDATE_REPLACE if replace else kinds.UPDATE


class Operations(Protocol):
    """A resource type's provider operations on provider properties."""

    def configure(self, config: Mapping[str, str | None]) -> None: ...
    def check(self, urn: str, olds: Any, news: Any) -> tuple[Any, list[str]]: ...
    @staticmethod
    def diff(olds: Any, news: Any) -> tuple[DiffPlan, bool]: ...
    async def create(self, urn: str, props: Any, progress: Progress) -> Any: ...
    async def update(self, urn: str, olds: Any, news: Any, progress: Progress) -> Any: ...
    async def read(self, id_: str, props: Any, progress: Progress) -> Any: ...
    async def delete(self, id_: str, props: Any, progress: Progress) -> None: ...


def _no_refusal(_wire: Mapping[str, Any]) -> list[str]:
    return []


def _no_note(_olds: Any, _plan: DiffPlan) -> str | None:
    return None


@dataclass(frozen=True)
class Kind:
    """One resource type of the plugin: its operations, wire form and words."""

    ops: Operations
    wire: WireForm
    #: Outputs that are not inputs (``Read`` returns the rest as the inputs).
    computed: frozenset[str]
    noun: str
    #: What the type refuses of the wire inputs, said why (``Check``).
    refused: Callable[[Mapping[str, Any]], list[str]] = _no_refusal
    #: What a preview should say about a planned change (``Diff``), as a warning.
    note: Callable[[Any, DiffPlan], str | None] = _no_note


class BatchJobsServicer(provider_pb2_grpc.ResourceProviderServicer):
    """The engine's view of :class:`BatchJobsProvider` and :class:`BatchJobSchedulesProvider`
    (by the URN's type): wire properties, secrets, errors."""

    def __init__(self, engine_address: str | None) -> None:
        self._provider = BatchJobsProvider()
        schedules = BatchJobSchedulesProvider(self._provider.threads)
        self._kinds = {
            RESOURCE: Kind(self._provider, JOB, frozenset(bridge.COMPUTED_OUTPUTS), "job"),
            SCHEDULE_RESOURCE: Kind(
                schedules,
                SCHEDULE,
                frozenset(schedule_bridge.COMPUTED_OUTPUTS),
                "job schedule",
                refused=schedule_bridge.refused,
                note=schedules.diff_note,
            ),
        }
        self._engine_address = engine_address
        self._engine: Any = None  # EngineStub on a grpc.aio channel (stubs type it sync)
        self._version = version(DISTRIBUTION)

    # -- plumbing ---------------------------------------------------------------------------

    async def _guard(self, context: Any, call: Callable[[], Awaitable[Response]]) -> Response:
        """Run ``call``; a failure becomes a gRPC error whose text is the line to show."""
        try:
            return await call()
        except BatchJobError as exc:
            await context.abort(grpc.StatusCode.UNKNOWN, str(exc))
        except grpc.aio.AbortError:  # ``call`` ended the RPC itself (``_init_failed``)
            raise
        except Exception as exc:  # a defect: keep the traceback for the plugin's log
            traceback.print_exc(file=sys.stderr)
            await context.abort(grpc.StatusCode.UNKNOWN, f"{type(exc).__name__}: {exc}")
        raise AssertionError("unreachable: context.abort raises")

    @staticmethod
    async def _init_failed(
        context: Any, id_: str, error: TasksWaitError, secrets: set[str], inputs: Any
    ) -> None:
        """Fail the step, but hand the engine the job's state: the resource stays in the
        stack (with the error as its initialization error) instead of being orphaned."""
        reason = str(error)
        details = provider_pb2.ErrorResourceInitFailed(
            id=id_,
            properties=_struct(JOB.to_wire(error.state, secrets)),
            reasons=[reason],
            inputs=inputs,
        )
        status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=reason)
        status.details.add().Pack(details)
        metadata = (("grpc-status-details-bin", status.SerializeToString()),)
        await context.abort(grpc.StatusCode.UNKNOWN, reason, trailing_metadata=metadata)

    def _progress(self, urn: str) -> Callable[[str], None]:
        """A callback for worker threads: log a line against the resource ``urn``."""
        loop = asyncio.get_running_loop()

        def report(message: str) -> None:
            asyncio.run_coroutine_threadsafe(self._log(urn, message), loop)

        return report

    def _kind(self, urn: str) -> Kind:
        """The resource type a URN names (a job for anything else, as before schedules)."""
        return self._kinds.get(Urn.parse(urn).type, self._kinds[RESOURCE])

    async def _log(self, urn: str, message: str, severity: Any = engine_pb2.INFO) -> None:
        if not self._engine_address:
            return
        if self._engine is None:
            channel = grpc.aio.insecure_channel(self._engine_address, options=_GRPC_CHANNEL_OPTIONS)
            self._engine = engine_pb2_grpc.EngineStub(channel)
        request = engine_pb2.LogRequest(severity=severity, message=message, urn=urn)
        try:
            await self._engine.Log(request)
        except grpc.aio.AioRpcError:
            print(message, file=sys.stderr, flush=True)

    # -- plugin -----------------------------------------------------------------------------

    async def GetPluginInfo(self, request: Any, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=self._version)

    async def GetSchema(self, request: Any, context: Any) -> provider_pb2.GetSchemaResponse:
        return provider_pb2.GetSchemaResponse(schema=json.dumps(package_schema(self._version)))

    async def Cancel(self, request: Any, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    async def CheckConfig(self, request: Any, context: Any) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    async def DiffConfig(self, request: Any, context: Any) -> provider_pb2.DiffResponse:
        olds, _ = reveal(_plain(request.olds))
        news, _ = reveal(_plain(request.news))
        changed = sorted(k for k in set(olds) | set(news) if olds.get(k) != news.get(k))
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME
            if changed
            else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=changed,
            detailedDiff={
                k: provider_pb2.PropertyDiff(kind=_kind(olds.get(k), news.get(k), False))
                for k in changed
            },
            hasDetailedDiff=True,
        )

    async def Configure(self, request: Any, context: Any) -> provider_pb2.ConfigureResponse:
        args, _ = reveal(_plain(request.args))
        variables = dict(request.variables)
        config: dict[str, str | None] = {}
        for key in CONFIG_KEYS:
            value = args.get(key) or variables.get(f"{CONFIG_NAMESPACE}:config:{key}")
            config[key] = str(value) if value else None
        for kind in self._kinds.values():
            kind.ops.configure(config)
        return provider_pb2.ConfigureResponse(acceptSecrets=True, supportsPreview=False)

    # -- resources --------------------------------------------------------------------------

    async def Check(self, request: Any, context: Any) -> provider_pb2.CheckResponse:
        kind = self._kind(request.urn)
        olds, _ = kind.wire.from_wire(_plain(request.olds))
        raw = _plain(request.news)
        news, secrets = kind.wire.from_wire(raw)
        inputs, failures = kind.ops.check(request.urn, olds, news)
        # No property on the failures: the engine would print the property's whole value
        # (secrets included) before our message, which already names the field path.
        return provider_pb2.CheckResponse(
            inputs=_struct(kind.wire.to_wire(inputs, secrets)),
            failures=[
                provider_pb2.CheckFailure(property="", reason=f)
                for f in [*failures, *kind.refused(raw)]
            ],
        )

    async def Diff(self, request: Any, context: Any) -> provider_pb2.DiffResponse:
        kind = self._kind(request.urn)
        olds, _ = kind.wire.from_wire(_plain(request.olds))
        news, _ = kind.wire.from_wire(_plain(request.news))
        plan, delete_first = kind.ops.diff(olds, news)
        note = kind.note(olds, plan)
        if note:
            await self._log(request.urn, note, engine_pb2.WARNING)
        replaces = set(plan.replaces)
        keys = [*plan.replaces, *plan.patches, *plan.settings, *plan.toggles]
        if plan.pool_change:
            keys.append("pool_info")
        names = kind.wire.to_wire_names
        detailed = {
            names.get(k, k): provider_pb2.PropertyDiff(
                kind=_kind(olds.get(k), news.get(k), k in replaces), inputDiff=True
            )
            for k in keys
        }
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME
            if plan.changed
            else provider_pb2.DiffResponse.DIFF_NONE,
            replaces=[names.get(k, k) for k in plan.replaces],
            deleteBeforeReplace=delete_first,
            diffs=sorted(detailed),
            detailedDiff=detailed,
            hasDetailedDiff=True,
        )

    async def Create(self, request: Any, context: Any) -> provider_pb2.CreateResponse:
        kind = self._kind(request.urn)

        async def create() -> provider_pb2.CreateResponse:
            props, secrets = kind.wire.from_wire(_plain(request.properties))
            progress = self._progress(request.urn)
            try:
                outs = await kind.ops.create(request.urn, props, progress)
            except TasksWaitError as exc:
                job_id = str(exc.state["job_id"])
                await self._init_failed(context, job_id, exc, secrets, request.properties)
                raise
            return provider_pb2.CreateResponse(
                id=str(outs[kind.wire.id_name]),
                properties=_struct(kind.wire.to_wire(outs, secrets)),
            )

        return await self._guard(context, create)

    async def Update(self, request: Any, context: Any) -> provider_pb2.UpdateResponse:
        kind = self._kind(request.urn)

        async def update() -> provider_pb2.UpdateResponse:
            olds, _ = kind.wire.from_wire(_plain(request.olds))
            news, secrets = kind.wire.from_wire(_plain(request.news))
            progress = self._progress(request.urn)
            try:
                outs = await kind.ops.update(request.urn, olds, news, progress)
            except TasksWaitError as exc:
                await self._init_failed(context, request.id, exc, secrets, request.news)
                raise
            return provider_pb2.UpdateResponse(properties=_struct(kind.wire.to_wire(outs, secrets)))

        return await self._guard(context, update)

    async def Read(self, request: Any, context: Any) -> provider_pb2.ReadResponse:
        kind = self._kind(request.urn)

        async def read() -> provider_pb2.ReadResponse:
            props, secrets = kind.wire.from_wire(_plain(request.properties))
            importing = not props and not _plain(request.inputs)
            outs = await kind.ops.read(request.id, props, self._progress(request.urn))
            if outs is None:
                if importing:
                    raise BatchJobError(
                        f"importing {kind.noun} {request.id!r} failed: no such {kind.noun} in "
                        "the account"
                    )
                return provider_pb2.ReadResponse(id="")
            inputs = {k: v for k, v in outs.items() if k not in kind.computed}
            return provider_pb2.ReadResponse(
                id=request.id,
                properties=_struct(kind.wire.to_wire(outs, secrets)),
                inputs=_struct(kind.wire.to_wire(inputs, secrets)),
            )

        return await self._guard(context, read)

    async def Delete(self, request: Any, context: Any) -> empty_pb2.Empty:
        kind = self._kind(request.urn)

        async def delete() -> empty_pb2.Empty:
            props, _ = kind.wire.from_wire(_plain(request.properties))
            await kind.ops.delete(request.id, props, self._progress(request.urn))
            return empty_pb2.Empty()

        return await self._guard(context, delete)


def _engine_address(argv: list[str]) -> str | None:
    """The engine's address: the last argument that is not an option or an option's value."""
    positional: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--tracing", "--root"):
            skip = True
        elif not arg.startswith("-"):
            positional.append(arg)
    return positional[-1] if positional else None


async def serve(argv: list[str]) -> None:
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(
        BatchJobsServicer(_engine_address(argv)), server
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    await server.wait_for_termination()


def main() -> None:
    """Console script entry point: serve until the engine stops the plugin."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(sys.argv[1:]))
