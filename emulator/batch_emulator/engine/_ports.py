"""What the engine's parts need from each other and from the service, as Protocols.

Neutral: it imports only the leaf modules whose types appear in the signatures, so
:mod:`_work` and :mod:`_endings` depend on these and never on :mod:`_engine`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from batch_emulator.engine._layout import NodeLayout
from batch_emulator.engine._process import Run
from batch_emulator.engine._runner import Outcome
from batch_emulator.protocols import (
    AccountReads,
    NodeVerbs,
    PreparationVerbs,
    ReleaseVerbs,
    TaskVerbs,
)

__all__ = ["EndingRuntime", "Executor", "Spawn", "WorkRuntime"]


class WorkRuntime(AccountReads, TaskVerbs, PreparationVerbs, NodeVerbs, Protocol):
    """The service verbs a task's run, a node restart and a pool deletion use."""


class EndingRuntime(AccountReads, ReleaseVerbs, Protocol):
    """The service verbs a job's ending uses."""


class Executor(Protocol):
    """The emulated nodes: their directories, and one run of a command there."""

    def layout(self, pool_id: str, node_id: str) -> NodeLayout: ...

    def attempt(
        self,
        run: Run,
        job: dict[str, Any],
        spec: dict[str, Any],
        node: dict[str, Any],
        wall: timedelta | None,
        started: datetime | None = None,
    ) -> Outcome:
        """One run of ``spec`` (a task, preparation or release task) on ``node``, stopped
        ``wall`` after ``started`` (default: now)."""
        ...

    def retain(self, path: Path, retention: object, since: datetime | None = None) -> None:
        """Remove a task directory once its retention time has passed."""
        ...

    def remove_job(self, job_id: str) -> None:
        """The job's directories on every node."""
        ...

    def remove_pool(self, pool_id: str) -> None: ...


#: Run a callable with arguments in a thread the engine tracks (shutdown waits for it).
Spawn = Callable[..., None]
