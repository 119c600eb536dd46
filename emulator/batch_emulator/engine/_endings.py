"""How a job ends: stop its tasks, run the Job Release Task where Batch says, then
complete (terminate) or remove (delete) the job.

Release runs on each node where tasks of the job ran and the preparation task ran and
completed (the service's ``pending_releases``), in the background without a slot,
limited to its ``maxWallClockTime`` (at most 15 minutes). A reboot that interrupts it
runs it again when the node is back; a reimage drops it. The job stays ``terminating``
or ``deleting`` until every release task has completed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from batch_emulator.engine._clock import limit
from batch_emulator.engine._ports import EndingRuntime, Executor, Spawn
from batch_emulator.engine._process import Run
from batch_emulator.engine._runner import execution_extra
from batch_emulator.engine._slots import Slots
from batch_emulator.protocols import Execution

__all__ = ["RELEASE_ON_STOP", "Endings"]

MAX_RELEASE_WALL_CLOCK = timedelta(minutes=15)
#: What becomes of a release run, by why it ended (``None``: it exited; ``timeout``: it
#: reached its wall-clock limit):
#:   done    -> completed with its exit code (and failure info); directory retained
#:   again   -> still pending: runs again when the node (or the emulator) is back
#:   dropped -> completed with a failure: the node was reimaged or its pool deleted
RELEASE_ON_STOP: Mapping[str | None, str] = {
    None: "done",
    "timeout": "done",
    "reboot": "again",
    "reboot-terminate": "again",
    "shutdown": "again",
    "reimage": "dropped",
    "reimage-terminate": "dropped",
    "pool": "dropped",
}


@dataclass
class Ending:
    """A job on its way to completed (terminate) or gone (delete)."""

    job_id: str
    delete: bool
    release: bool
    pending: dict[str, str] = field(default_factory=dict)  # node id -> pool id
    running: set[str] = field(default_factory=set)
    cancelled: bool = False


class Endings:
    """The endings in progress, one per job, behind their own condition.

    ``forget_job`` drops the job's queue and timers in the engine once it starts ending.
    """

    def __init__(
        self,
        runtime: EndingRuntime,
        slots: Slots,
        nodes: Executor,
        spawn: Spawn,
        forget_job: Callable[[str], None],
    ) -> None:
        self._rt = runtime
        self._slots = slots
        self._nodes = nodes
        self._spawn = spawn
        self._forget_job = forget_job
        self._cond = threading.Condition()
        self._active: dict[str, Ending] = {}
        self._closed = False

    def begin(self, job_id: str, *, delete: bool, release: bool) -> None:
        with self._cond:
            current = self._active.get(job_id.lower())
            if current is not None:
                current.delete = current.delete or delete
                return
            ending = Ending(job_id, delete, release)
            self._active[job_id.lower()] = ending
        self._forget_job(job_id)
        self._spawn(self._finish, ending)

    def clear(self) -> None:
        """Abandon every ending in progress (a restart finishes them)."""
        with self._cond:
            for ending in self._active.values():
                ending.cancelled = True
            self._active.clear()
            self._cond.notify_all()

    def close(self) -> None:
        """The engine is stopping: no ending completes its job from now on."""
        with self._cond:
            self._closed = True
        self.clear()

    def _finish(self, ending: Ending) -> None:
        rt = self._rt
        runs = self._slots.job_runs(ending.job_id)
        for run in runs:
            if run.kind != "release":
                run.stop("jobend")
        for run in runs:
            run.done.wait(30)
        if ending.release:
            pairs = rt.pending_releases(ending.job_id)
            with self._cond:
                ending.pending = {node: pool for pool, node in pairs}
            for pool_id, node_id in pairs:
                self._start(ending, pool_id, node_id)
            with self._cond:
                while ending.pending and not (self._closed or ending.cancelled):
                    self._cond.wait()
        with self._cond:
            if self._closed or ending.cancelled:
                return
            self._active.pop(ending.job_id.lower(), None)
            delete = ending.delete
        if delete:  # directories first: once the job is gone, nothing of it is left
            self._nodes.remove_job(ending.job_id)
            rt.finish_job_deletion(ending.job_id)
        else:
            rt.finish_job_termination(ending.job_id)

    def _start(self, ending: Ending, pool_id: str, node_id: str) -> None:
        with self._cond:
            if self._slots.restarting(node_id) or node_id in ending.running:
                return  # node_back() starts it once the node is up
            ending.running.add(node_id)
        self._spawn(self._release, ending, pool_id, node_id)

    def node_back(self, pool_id: str, node_id: str, *, reimaged: bool) -> None:
        """A node finished rebooting (release runs again) or reimaging (it does not)."""
        with self._cond:
            waiting = [x for x in self._active.values() if node_id in x.pending]
            if reimaged:
                for ending in waiting:
                    ending.pending.pop(node_id, None)
                self._cond.notify_all()
                return
        for ending in waiting:
            self._start(ending, pool_id, node_id)

    def _release(self, ending: Ending, pool_id: str, node_id: str) -> None:
        rt = self._rt
        job = rt.get_job(ending.job_id)
        spec = None if job is None else job.get("jobReleaseTask")
        if job is None or spec is None:
            with self._cond:
                ending.pending.pop(node_id, None)
                ending.running.discard(node_id)
                self._cond.notify_all()
            return
        run = Run("release", job["id"], str(spec["id"]), pool_id, node_id)
        self._slots.track(run)
        again = False
        try:
            rt.record_release(job["id"], Execution(pool_id, node_id, "running"))
            node = rt.get_node(pool_id, node_id) or {}
            wall = min(
                limit(spec.get("maxWallClockTime")) or MAX_RELEASE_WALL_CLOCK,
                MAX_RELEASE_WALL_CLOCK,
            )
            outcome = self._nodes.attempt(run, job, spec, node, wall)
            what = RELEASE_ON_STOP.get(outcome.stopped, "done")
            if what == "again":
                again = True
                return
            extra = execution_extra(outcome)
            if what == "dropped":
                extra["failureInfo"] = {
                    "category": "servererror",
                    "code": "PoolDeleted" if outcome.stopped == "pool" else "NodeReimaged",
                    "message": "The node was reimaged or removed while the Job Release Task ran.",
                }
            done = Execution(pool_id, node_id, "completed", outcome.exit_code, extra)
            rt.record_release(job["id"], done)
            if what == "done":
                task_dir = self._nodes.layout(pool_id, node_id).task_dir(job["id"], run.task_id)
                self._nodes.retain(task_dir, spec.get("retentionTime"))
        finally:
            self._slots.untrack(run)
            with self._cond:
                ending.running.discard(node_id)
                if not again:
                    ending.pending.pop(node_id, None)
                self._cond.notify_all()
            run.done.set()
