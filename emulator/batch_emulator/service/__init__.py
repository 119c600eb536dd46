"""The Batch service: verbs on pools, nodes, jobs and tasks, validation, state machines."""

from __future__ import annotations

from datetime import datetime, timedelta

from batch_emulator.clock import Clock
from batch_emulator.protocols import Engine, NodeFiles
from batch_emulator.service._context import BASE, Conditions, Context
from batch_emulator.service._files import FileService, FileView, byte_range
from batch_emulator.service._jobs import JobService
from batch_emulator.service._odata import project
from batch_emulator.service._paging import DEFAULT_MAX_RESULTS, ListQuery, Page
from batch_emulator.service._pools import PoolService
from batch_emulator.service._runtime import ServiceRuntime
from batch_emulator.service._schedules import JobScheduleService
from batch_emulator.service._tasks import MAX_TASKS_PER_COLLECTION, TaskService
from batch_emulator.store import Store

__all__ = [
    "BASE",
    "DEFAULT_MAX_RESULTS",
    "MAX_TASKS_PER_COLLECTION",
    "BatchService",
    "Conditions",
    "FileView",
    "ListQuery",
    "Page",
    "byte_range",
    "project",
]


class BatchService:
    """One emulated Batch account: ``pools``, ``jobs``, ``job_schedules``, ``tasks`` and
    ``files`` verbs over a store (``disks``: the nodes' directories, when the engine keeps
    any)."""

    def __init__(
        self, store: Store, clock: Clock, engine: Engine, disks: NodeFiles | None = None
    ) -> None:
        self.context = Context(store=store, clock=clock, engine=engine)
        self.pools = PoolService(self.context)
        self.tasks = TaskService(self.context, after_completion=self._after_completion)
        self.jobs = JobService(self.context, add_manager=self.tasks.add_manager)
        self.job_schedules = JobScheduleService(self.context, self.jobs)
        self.runtime = ServiceRuntime(self.context, self.jobs, self.job_schedules)
        self.files = FileService(self.context, disks)
        engine.attach(self.runtime)

    def now(self) -> datetime:
        """The account's clock."""
        return self.context.now()

    def reset(self) -> None:
        """Forget every pool, node, job and task: a clean account."""
        self.context.engine.reset()
        with self.context.lock:
            self.context.store.clear()

    def advance_clock(self, delta: timedelta) -> datetime | None:
        """Move an emulated clock forward; None when this clock cannot be moved."""
        advance = getattr(self.context.clock, "advance", None)
        if advance is None:
            return None
        advance(delta)
        return self.context.now()

    def _after_completion(self, job_id: str) -> None:
        self.jobs.check_all_complete(job_id)

    def close(self) -> None:
        self.context.engine.shutdown()
        self.context.store.close()
