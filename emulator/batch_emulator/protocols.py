"""The seam between the Batch service and whatever runs tasks (no imports of either).

The service tells an :class:`Engine` what happened (a task was added, a job is
terminating, a node is rebooting, ...). The engine acts on the account only through the
:class:`Runtime` the service hands it, whose verbs move resources along the service's
state tables. ``Runtime`` is the union of small groups, so each part of an engine asks
for exactly the verbs it uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

__all__ = [
    "AccountReads",
    "Dispatching",
    "Engine",
    "Execution",
    "FileInfo",
    "NodeFiles",
    "NodeVerbs",
    "PreparationVerbs",
    "Recovery",
    "ReleaseVerbs",
    "Runtime",
    "ScheduleVerbs",
    "TaskVerbs",
]


@dataclass(frozen=True)
class Execution:
    """A job's preparation or release task on one node as it stands: ``running`` or
    ``completed`` (with its exit code), and other execution info fields (``extra``)."""

    pool_id: str
    node_id: str
    state: str
    exit_code: int | None = None
    extra: dict[str, Any] | None = None


class AccountReads(Protocol):
    """Read a job, task or node (None when it does not exist)."""

    def get_job(self, job_id: str) -> dict[str, Any] | None: ...

    def get_task(self, job_id: str, task_id: str) -> dict[str, Any] | None: ...

    def get_node(self, pool_id: str, node_id: str) -> dict[str, Any] | None: ...


class Dispatching(Protocol):
    """What may run where, and taking a task onto a node."""

    def schedulable(self, job_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """The job and the nodes its tasks may run on now, or None if none may run."""
        ...

    def pending_tasks(self, job_id: str, task_ids: list[str] | None) -> list[dict[str, Any]]: ...

    def jobs_on_pool(self, pool_id: str) -> list[str]: ...

    def claim_task(
        self, job_id: str, task_id: str, pool_id: str, node_id: str, state: str
    ) -> dict[str, Any] | None:
        """Move an active task onto a node (``preparing`` or ``running``); None if taken."""
        ...

    def expire_job(self, job_id: str) -> None: ...


class Recovery(Protocol):
    """What an engine reads once, when it attaches."""

    def recover(self) -> None:
        """After a restart: interrupted work follows node-reboot semantics."""
        ...

    def retained(self) -> list[tuple[str, str, str, str, str, str]]:
        """Completed task directories: (pool, node, job, task, end time, retention)."""
        ...

    def jobs_in_state(self, state: str) -> list[str]: ...


class TaskVerbs(Protocol):
    """A task's run on a node: started, retried, completed, requeued or freed."""

    def start_task(
        self, job_id: str, task_id: str, pool_id: str, node_id: str, state: str = "running"
    ) -> None: ...

    def task_running(self, job_id: str, task_id: str, retry: bool) -> datetime | None:
        """The task's process starts; the start time recorded (None: no longer running)."""
        ...

    def complete_task(
        self,
        job_id: str,
        task_id: str,
        exit_code: int | None,
        extra: dict[str, Any] | None = None,
    ) -> None: ...

    def complete_instantly(self, job_id: str, placements: list[tuple[str, str, str]]) -> None:
        """Run (task id, pool id, node id) placements to completion with exit code 0, in
        order, preparation first on a node; not for the Job Manager task."""
        ...

    def requeue_task(self, job_id: str, task_id: str, pool_id: str, node_id: str) -> None: ...

    def free_slots(self, pool_id: str, node_id: str, slots: int) -> None: ...

    def apply_job_action(self, job_id: str, action: str) -> None:
        """A failed task's exit-condition ``jobAction`` (none, disable, terminate)."""
        ...


class PreparationVerbs(Protocol):
    """The Job Preparation Task's record per (job, node)."""

    def preparation_done(self, job_id: str, node_id: str) -> bool: ...

    def record_preparation(self, job_id: str, execution: Execution) -> None: ...

    def forget_preparation(self, job_id: str, node_id: str) -> None: ...


class ReleaseVerbs(Protocol):
    """The Job Release Task's record per (job, node), and the job's end."""

    def release_nodes(self, job_id: str) -> list[tuple[str, str]]:
        """(pool id, node id) pairs where the release task must run for this job."""
        ...

    def pending_releases(self, job_id: str) -> list[tuple[str, str]]:
        """Release nodes whose release task has not completed."""
        ...

    def record_release(self, job_id: str, execution: Execution) -> None: ...

    def finish_job_termination(self, job_id: str) -> None: ...

    def finish_job_deletion(self, job_id: str) -> None: ...


class NodeVerbs(Protocol):
    """A node back from a restart; a pool's deletion done."""

    def finish_node_restart(self, pool_id: str, node_id: str) -> None: ...

    def finish_pool_deletion(self, pool_id: str) -> None: ...


class ScheduleVerbs(Protocol):
    """Job schedules: the service decides what is due, the engine keeps the time."""

    def run_job_schedule(self, schedule_id: str) -> None:
        """The time the service asked for came: add the due job, skip a lost
        opportunity or complete the schedule; the service then names the next time
        (:meth:`Engine.job_schedule_due`)."""
        ...

    def resume_job_schedules(self) -> None:
        """Once attached (after a restart too): bring every schedule up to date."""
        ...


class Runtime(
    AccountReads,
    Dispatching,
    Recovery,
    TaskVerbs,
    PreparationVerbs,
    ReleaseVerbs,
    NodeVerbs,
    ScheduleVerbs,
    Protocol,
):
    """Everything an engine may read and do to the account."""


class Engine(Protocol):
    """Receives the service's events; must not block the request for long."""

    def attach(self, runtime: Runtime) -> None: ...

    def tasks_added(self, job_id: str, task_ids: list[str]) -> None: ...

    def job_schedulable(self, job_id: str) -> None:
        """A job was created or enabled, or its pool changed: run what can run."""
        ...

    def pool_changed(self, pool_id: str) -> None: ...

    def job_terminating(self, job_id: str) -> None: ...

    def job_deleting(self, job_id: str, run_release: bool) -> None: ...

    def task_terminating(self, job_id: str, task_id: str) -> None: ...

    def node_restarting(
        self, pool_id: str, node_id: str, reimage: bool, option: str = "requeue"
    ) -> None:
        """Reboot or reimage; ``option`` is the request's requeue / terminate /
        taskcompletion / retaineddata."""
        ...

    def pool_deleting(self, pool_id: str) -> None: ...

    def job_schedule_due(self, schedule_id: str, when: datetime | None) -> None:
        """Call ``Runtime.run_job_schedule`` at ``when`` on the engine's clock, instead
        of any earlier request for this schedule; None: not at all."""
        ...

    def reset(self) -> None:
        """The account was wiped: stop everything, forget everything."""
        ...

    def shutdown(self) -> None: ...


@dataclass(frozen=True)
class FileInfo:
    """A file or directory on a node: ``name`` relative to the directory asked about
    ('/'-separated), its size, times and octal mode."""

    name: str
    is_directory: bool
    size: int
    created: datetime
    modified: datetime
    mode: str


class NodeFiles(Protocol):
    """The nodes' disks as the file API reads them. ``base`` is the directory a request is
    confined to (``""`` for the node's root, a task's root directory for a task), ``path``
    is below it; both '/'-separated and free of ``..``. Nothing outside ``base`` is ever
    reached, through symlinks neither: such a path reads as absent."""

    def stat(self, pool_id: str, node_id: str, base: str, path: str) -> FileInfo | None: ...

    def listing(
        self, pool_id: str, node_id: str, base: str, recursive: bool
    ) -> list[FileInfo] | None:
        """Everything below ``base`` (direct children unless ``recursive``); None when
        ``base`` does not exist."""
        ...

    def read(
        self, pool_id: str, node_id: str, base: str, path: str, start: int, end: int
    ) -> Iterator[bytes]:
        """The bytes ``start`` to ``end`` (exclusive) of a file, in chunks."""
        ...

    def delete(
        self, pool_id: str, node_id: str, base: str, path: str, recursive: bool
    ) -> Literal["deleted", "missing", "not_empty"]: ...
