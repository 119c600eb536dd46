"""Assemble the ASGI application of one emulated Batch account."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette

from batch_emulator.api import Env, all_routes
from batch_emulator.auth import Authenticator
from batch_emulator.clock import Clock, SystemClock
from batch_emulator.engine import InstantEngine, node_files
from batch_emulator.protocols import Engine
from batch_emulator.service import BatchService
from batch_emulator.stats import RequestStats
from batch_emulator.store import Store
from batch_emulator.tokens import TokenIssuer

__all__ = ["Emulator", "EmulatorConfig", "build"]


@dataclass
class EmulatorConfig:
    """Everything that defines one emulator instance."""

    account: str
    keys: list[str]
    database: Path | None = None
    tokens: TokenIssuer | None = None
    clock: Clock = field(default_factory=SystemClock)
    engine: Engine = field(default_factory=InstantEngine)


@dataclass
class Emulator:
    """The running pieces: the ASGI app and the service behind it."""

    app: Starlette
    service: BatchService
    stats: RequestStats

    def close(self) -> None:
        self.service.close()


def build(config: EmulatorConfig) -> Emulator:
    """Open the store and wire service, auth, stats and routes together."""
    store = Store(config.database)
    service = BatchService(store, config.clock, config.engine, node_files(config.engine))
    stats = RequestStats()
    auth = Authenticator(config.account, list(config.keys), config.tokens)
    app = Starlette(routes=all_routes())
    app.state.env = Env(service=service, auth=auth, stats=stats)
    app.state.tokens = config.tokens
    return Emulator(app=app, service=service, stats=stats)
