"""Choosing and configuring an engine from the CLI's options."""

from __future__ import annotations

from pathlib import Path

from batch_emulator.engine._clock import EngineClock
from batch_emulator.engine._engine import ProcessEngine
from batch_emulator.engine._instant import InstantEngine
from batch_emulator.protocols import Engine, NodeFiles

__all__ = ["ENGINES", "make_engine", "node_files", "set_account_url"]

#: ``process`` really runs tasks; ``instant`` completes them at once without processes.
ENGINES = ("process", "instant")


def make_engine(kind: str, node_root: Path, clock: EngineClock, account: str) -> Engine:
    if kind == "instant":
        return InstantEngine(clock)
    if kind == "process":
        return ProcessEngine(node_root, clock, account)
    raise ValueError(f"unknown engine {kind!r}; choose one of {', '.join(ENGINES)}")


def set_account_url(engine: Engine, url: str) -> None:
    """Tasks see the account URL (``AZ_BATCH_ACCOUNT_URL``) once the server is bound."""
    if isinstance(engine, ProcessEngine):
        engine.account_url = url


def node_files(engine: Engine) -> NodeFiles | None:
    """The nodes' disks for the file API; None for an engine that keeps no directories."""
    return engine.files if isinstance(engine, ProcessEngine) else None
