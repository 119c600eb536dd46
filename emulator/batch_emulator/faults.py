"""Fault injection for reliability tests: off by default, switchable per run.

An ASGI middleware in front of the Batch API answers a chosen fraction of requests with
a fault instead of (or after) the real answer:

- ``500`` / ``503``: a Batch-shaped server error; the request is not applied;
- ``429``: ``TooManyRequests`` with ``Retry-After``; not applied;
- ``reset-before``: the connection is reset (TCP RST) before the request is applied;
- ``reset-after``: the request is applied, then the connection is reset without a
  response (a lost response: the client cannot know the write happened);
- ``slow``: the real answer, after a delay.

Only Batch API operations are faulted (optionally only those named in ``ops``, the
route names such as ``Jobs_CreateJob``); the admin endpoints (``/_emulator/...``) and
the token authority never are. Counts of injected faults appear in ``/_emulator/stats``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["FAULT_KINDS", "FaultConfig", "FaultInjector", "parse_kinds"]

FAULT_KINDS = ("500", "503", "429", "reset-before", "reset-after", "slow")
_NEVER_FAULTED_PREFIX = "/_emulator"
_DISCONNECT_TIMEOUT = 5.0
_ERROR_METADATA = "$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element"


def parse_kinds(text: str) -> tuple[str, ...]:
    """``"500,429,reset-after"`` -> the kinds; ``"all"`` -> every kind."""
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    if kinds == ("all",):
        return FAULT_KINDS
    unknown = [k for k in kinds if k not in FAULT_KINDS]
    if unknown or not kinds:
        raise ValueError(f"fault kinds must be among {', '.join(FAULT_KINDS)} (got {text!r})")
    return kinds


@dataclass(frozen=True)
class FaultConfig:
    """What to inject: ``rate`` in [0, 1], of ``kinds``, on ``ops`` (empty = all)."""

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    ops: frozenset[str] = frozenset()
    slow_seconds: float = 0.5
    retry_after_seconds: int = 1
    seed: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be within [0, 1] (got {self.rate})")
        parse_kinds(",".join(self.kinds))
        if not 0 <= self.slow_seconds <= 60 or not 0 <= self.retry_after_seconds <= 60:
            raise ValueError("slow_seconds and retry_after_seconds must be within [0, 60]")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultConfig:
        kinds = data.get("kinds", FAULT_KINDS)
        if isinstance(kinds, str):
            kinds = parse_kinds(kinds)
        seed = data.get("seed")
        return cls(
            rate=float(data.get("rate", 0.0)),
            kinds=tuple(str(k) for k in kinds),
            ops=frozenset(str(o) for o in data.get("ops") or ()),
            slow_seconds=float(data.get("slow_seconds", 0.5)),
            retry_after_seconds=int(data.get("retry_after_seconds", 1)),
            seed=None if seed is None else int(seed),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "kinds": list(self.kinds),
            "ops": sorted(self.ops),
            "slow_seconds": self.slow_seconds,
            "retry_after_seconds": self.retry_after_seconds,
            "seed": self.seed,
        }


@dataclass
class _Counts:
    decided: int = 0
    injected: Counter[tuple[str, str]] = field(default_factory=Counter)


class FaultInjector:
    """Decides, per request, whether and how to fail; thread-safe; counts what it did."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._transports: dict[tuple[str, int], asyncio.Transport] = {}
        self._counts = _Counts()
        self._config = FaultConfig()
        self._random = random.Random()  # noqa: S311 - test faults, not cryptography
        self.configure(config or FaultConfig())

    @property
    def config(self) -> FaultConfig:
        return self._config

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self._config = config
            self._random = random.Random(config.seed)  # noqa: S311

    def reset_counts(self) -> None:
        with self._lock:
            self._counts = _Counts()

    def choose(self, operation: str) -> str | None:
        """The fault for one request of ``operation``, or None."""
        with self._lock:
            config = self._config
            if config.rate <= 0 or (config.ops and operation not in config.ops):
                return None
            self._counts.decided += 1
            if self._random.random() >= config.rate:
                return None
            kind = self._random.choice(config.kinds)
            self._counts.injected[(kind, operation)] += 1
            return kind

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            injected = sorted(self._counts.injected.items())
            decided = self._counts.decided
            config = self._config
        by_kind: Counter[str] = Counter()
        for (kind, _op), n in injected:
            by_kind[kind] += n
        return {
            "config": config.to_json(),
            "eligible_requests": decided,
            "injected": sum(by_kind.values()),
            "by_kind": dict(sorted(by_kind.items())),
            "by_operation": [{"kind": k, "operation": o, "count": n} for (k, o), n in injected],
        }

    # -- connections ------------------------------------------------------------------

    def protocol_class(self) -> type[HttpToolsProtocol]:
        """A uvicorn HTTP protocol (its httptools one) that lets this injector reset its
        connections."""
        injector = self

        class FaultableProtocol(HttpToolsProtocol):
            def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
                super().connection_made(transport)
                if self.client is not None:
                    injector._register(self.client, transport)

            def connection_lost(self, exc: Exception | None) -> None:
                if self.client is not None:
                    injector._unregister(self.client)
                super().connection_lost(exc)

        return FaultableProtocol

    def _register(self, client: tuple[str, int], transport: asyncio.Transport) -> None:
        with self._lock:
            self._transports[client] = transport

    def _unregister(self, client: tuple[str, int]) -> None:
        with self._lock:
            self._transports.pop(client, None)

    def reset(self, scope: Scope) -> bool:
        """Abort the request's connection with a TCP RST; False if it cannot be found."""
        client = scope.get("client")
        with self._lock:
            transport = None if client is None else self._transports.get(tuple(client))
        if transport is None:
            return False
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        return True


def _operation_of(routes: Iterable[Any], scope: Scope) -> str | None:
    for route in routes:
        if isinstance(route, Route):
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return str(route.name)
    return None


class FaultMiddleware:
    """ASGI middleware applying a :class:`FaultInjector` to Batch API requests."""

    def __init__(self, app: ASGIApp, injector: FaultInjector, routes: Iterable[Any]) -> None:
        self._app = app
        self._injector = injector
        self._routes = [r for r in routes if _faultable(r)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self._injector.config.rate <= 0
            or scope["type"] != "http"
            or str(scope.get("path", "")).startswith(_NEVER_FAULTED_PREFIX)
        ):
            await self._app(scope, receive, send)
            return
        operation = _operation_of(self._routes, scope)
        kind = None if operation is None else self._injector.choose(operation)
        if kind is None:
            await self._app(scope, receive, send)
        elif kind in ("500", "503", "429"):
            await _drain(receive)
            await _error(send, kind, self._injector.config.retry_after_seconds)
        elif kind == "slow":
            await asyncio.sleep(self._injector.config.slow_seconds)
            await self._app(scope, receive, send)
        elif kind == "reset-before":
            await _drain(receive)
            await self._reset(scope, receive, send)
        else:  # reset-after: apply, then lose the response

            async def swallow(_message: Message) -> None:
                return None

            await self._app(scope, receive, swallow)
            await self._reset(scope, receive, send)

    async def _reset(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._injector.reset(scope):
            # Not served by the faultable protocol (e.g. an in-process test client).
            raise ConnectionResetError("injected connection reset")
        # Wait (bounded) for the server to notice the connection is gone, so that it
        # neither logs an unanswered request nor tries to answer it.
        try:
            async with asyncio.timeout(_DISCONNECT_TIMEOUT):
                while (await receive())["type"] != "http.disconnect":
                    pass
        except TimeoutError:
            return


def _faultable(route: Any) -> bool:
    name = str(getattr(route, "name", "") or "")
    path = str(getattr(route, "path", "") or "")
    return (
        not name.startswith("Emulator_")
        and not path.startswith(_NEVER_FAULTED_PREFIX)
        and (name not in ("openid_configuration", "keys", "token"))
    )


async def _drain(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


async def _error(send: Send, kind: str, retry_after: int) -> None:
    status = int(kind)
    code, text = {
        500: ("InternalServerError", "The server encountered an internal error (injected)."),
        503: ("ServerBusy", "The server is currently unable to receive requests (injected)."),
        429: ("TooManyRequests", "The request rate is too high (injected)."),
    }[status]
    body = json.dumps(
        {
            "odata.metadata": _ERROR_METADATA,
            "code": code,
            "message": {"lang": "en-US", "value": text},
        }
    ).encode()
    headers = [(b"content-type", b"application/json;odata=minimalmetadata")]
    headers.append((b"content-length", str(len(body)).encode()))
    if status == 429:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
