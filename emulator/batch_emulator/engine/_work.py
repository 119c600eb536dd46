"""What the engine's threads do: run a task (preparing its node first), restart a node,
delete a pool."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from batch_emulator.clock import iso, parse_iso
from batch_emulator.engine._clock import EngineClock, limit
from batch_emulator.engine._exit_options import job_action
from batch_emulator.engine._ports import Executor, WorkRuntime
from batch_emulator.engine._process import Run
from batch_emulator.engine._runner import Outcome, execution_extra
from batch_emulator.engine._slots import Slots
from batch_emulator.protocols import Execution

__all__ = ["ON_STOP", "Work"]

#: What becomes of a task's run, by why it ended (``None``: its process exited; a
#: ``timeout`` is its wall-clock limit):
#:   complete -> completed with its exit code and failure info, directory retained
#:   free     -> the service already completed it (terminate, disable): free the slots
#:   requeue  -> back to active (node reboot/reimage option ``requeue``, pool deleted)
#:   end      -> completed with TaskEnded (job ended; node option ``terminate``)
#:   keep     -> untouched: the emulator is stopping; a restart requeues it
#: Node options ``taskcompletion`` and ``retaineddata`` stop nothing: the node restarts
#: once its running tasks have completed.
ON_STOP: Mapping[str | None, str] = {
    None: "complete",
    "timeout": "complete",
    "terminated": "free",
    "reboot": "requeue",
    "reimage": "requeue",
    "pool": "requeue",
    "reboot-terminate": "end",
    "reimage-terminate": "end",
    "jobend": "end",
    "shutdown": "keep",
}
_REQUEUE = frozenset(r for r, what in ON_STOP.items() if what == "requeue" and r)
_TERMINATE = frozenset({"reboot-terminate", "reimage-terminate"})
_INTERRUPTED = _REQUEUE | _TERMINATE | {"shutdown"}


def _ended(message: str) -> dict[str, Any]:
    return {"failureInfo": {"category": "usererror", "code": "TaskEnded", "message": message}}


class Work:
    """Thread bodies of the process engine; ``kick`` wakes its dispatcher (with a job whose
    queue to reload from the service, or None)."""

    def __init__(
        self,
        runtime: WorkRuntime,
        slots: Slots,
        nodes: Executor,
        clock: EngineClock,
        kick: Callable[[str | None], None],
    ) -> None:
        self._rt = runtime
        self._slots = slots
        self._nodes = nodes
        self._clock = clock
        self._kick = kick
        self._lock = threading.Lock()
        self._prep_locks: dict[tuple[str, str], threading.Lock] = {}

    # -- tasks ---------------------------------------------------------------------

    def run_task(
        self,
        run: Run,
        job: dict[str, Any],
        task: dict[str, Any],
        node: dict[str, Any],
        slots: int,
        needs_prep: bool,
    ) -> None:
        try:
            if needs_prep and not self.prepare(job, node, run):
                self._not_prepared(run, slots)
                return
            # The task's maximum wall clock time counts from the start the service
            # recorded (what a client sees), not from when this thread gets to the process.
            started: datetime | None = (
                self._rt.task_running(job["id"], task["id"], retry=False)
                if needs_prep
                else parse_iso(task["executionInfo"]["startTime"])
            )
            constraints = task.get("constraints", {})
            outcome = self._attempts(run, job, task, node, constraints, started=started)
            self._settle(run, task, outcome, slots)
        finally:
            self._slots.release(run, slots)
            # A task that went back to active (requeued, or by the service's disable with
            # requeue) is queued again only now that it no longer counts as running.
            back = run.stop_reason in _REQUEUE or run.stop_reason == "terminated"
            back = back or (
                needs_prep
                and run.stop_reason is None
                and self._slots.blocked(run.job_id, run.node_id)
            )
            # A completion may satisfy tasks parked on their dependencies.
            back = back or self._slots.has_waiting(run.job_id)
            self._kick(run.job_id if back else None)
            run.done.set()

    def _attempts(
        self,
        run: Run,
        job: dict[str, Any],
        spec: dict[str, Any],
        node: dict[str, Any],
        constraints: dict[str, Any],
        on_retry: Callable[[int], None] | None = None,
        started: datetime | None = None,
    ) -> Outcome:
        """Run, retrying a non-zero exit up to ``maxTaskRetryCount`` (-1: forever); each
        attempt's wall clock counts from ``started`` (the recorded start), else from now."""
        retries_allowed = int(constraints.get("maxTaskRetryCount", 0))
        wall = limit(constraints.get("maxWallClockTime"))
        retries = 0
        while True:
            outcome = self._nodes.attempt(run, job, spec, node, wall, started)
            if outcome.stopped or outcome.succeeded or outcome.exit_code is None:
                return outcome
            if retries_allowed != -1 and retries >= retries_allowed:
                return outcome
            retries += 1
            if on_retry is None:
                started = self._rt.task_running(job["id"], spec["id"], retry=True)
            else:
                on_retry(retries)
                started = None

    def _settle(self, run: Run, task: dict[str, Any], outcome: Outcome, slots: int) -> None:
        rt = self._rt
        what = ON_STOP[outcome.stopped]
        if what == "free":
            rt.free_slots(run.pool_id, run.node_id, slots)
        elif what == "requeue":
            rt.requeue_task(run.job_id, run.task_id, run.pool_id, run.node_id)
        elif what == "end":
            cause = "its job ended" if outcome.stopped == "jobend" else "its node restarted"
            message = f"The task was terminated because {cause}."
            rt.complete_task(run.job_id, run.task_id, outcome.exit_code, _ended(message))
        elif what == "complete":
            rt.complete_task(run.job_id, run.task_id, outcome.exit_code, execution_extra(outcome))
            layout = self._nodes.layout(run.pool_id, run.node_id)
            retention = task.get("constraints", {}).get("retentionTime")
            self._nodes.retain(layout.task_dir(run.job_id, run.task_id), retention)
            done = None if outcome.failure is None else rt.get_task(run.job_id, run.task_id)
            if done is not None:
                rt.apply_job_action(run.job_id, job_action(done))

    def _not_prepared(self, run: Run, slots: int) -> None:
        """The node could not be prepared: the task waits for another chance."""
        rt = self._rt
        if run.stop_reason == "terminated":
            rt.free_slots(run.pool_id, run.node_id, slots)
        elif run.stop_reason == "jobend" or run.stop_reason in _TERMINATE:
            message = "The task was terminated before it started: its job or node ended it."
            rt.complete_task(run.job_id, run.task_id, None, _ended(message))
        elif run.stop_reason != "shutdown":
            rt.requeue_task(run.job_id, run.task_id, run.pool_id, run.node_id)

    # -- job preparation -------------------------------------------------------------

    def prepare(self, job: dict[str, Any], node: dict[str, Any], run: Run) -> bool:
        """Run the Job Preparation Task on the node unless it already ran there.

        False when the task must not run here now: preparation failed and
        ``waitForSuccess`` is set (the node is then skipped for this job), or it was
        interrupted.
        """
        place = (str(job["id"]).lower(), str(node["id"]))
        with self._lock:
            lock = self._prep_locks.setdefault(place, threading.Lock())
        with lock:
            if self._rt.preparation_done(job["id"], node["id"]):
                return not self._slots.blocked(job["id"], node["id"]) and run.stop_reason is None
            if run.stop_reason is not None:
                return False
            spec = job["jobPreparationTask"]
            prep = Run("prep", job["id"], str(spec["id"]), run.pool_id, run.node_id)
            self._slots.track(prep)
            try:
                return self._prepare(job, node, spec, prep)
            finally:
                self._slots.untrack(prep)
                prep.done.set()

    def _prepare(
        self, job: dict[str, Any], node: dict[str, Any], spec: dict[str, Any], prep: Run
    ) -> bool:
        rt = self._rt
        rt.record_preparation(job["id"], Execution(prep.pool_id, prep.node_id, "running"))

        def again(retries: int) -> None:
            extra = {"retryCount": retries, "lastRetryTime": iso(self._clock.now())}
            rt.record_preparation(
                job["id"], Execution(prep.pool_id, prep.node_id, "running", extra=extra)
            )

        constraints = spec.get("constraints", {})
        outcome = self._attempts(prep, job, spec, node, constraints, on_retry=again)
        if outcome.stopped in _INTERRUPTED:
            rt.forget_preparation(job["id"], prep.node_id)
            return False
        extra = execution_extra(outcome)
        done = Execution(prep.pool_id, prep.node_id, "completed", outcome.exit_code, extra)
        rt.record_preparation(job["id"], done)
        layout = self._nodes.layout(prep.pool_id, prep.node_id)
        self._nodes.retain(
            layout.task_dir(job["id"], prep.task_id), constraints.get("retentionTime")
        )
        if not outcome.succeeded and spec.get("waitForSuccess", True):
            self._slots.block(job["id"], prep.node_id)
            return False
        return outcome.stopped is None

    # -- nodes and pools -----------------------------------------------------------------

    def restart_node(self, pool_id: str, node_id: str, reimage: bool, option: str) -> None:
        """Reboot or reimage: deal with what runs there (by ``option``), then bring the
        node back idle. No new task starts there meanwhile."""
        reason = ("reimage" if reimage else "reboot") + (
            "-terminate" if option == "terminate" else ""
        )
        runs = self._slots.runs_on_node(node_id)
        if option not in {"taskcompletion", "retaineddata"}:
            for run in runs:
                run.stop(reason)
        for run in runs:
            run.done.wait()
        if reimage:
            self._nodes.layout(pool_id, node_id).wipe()
        self._rt.finish_node_restart(pool_id, node_id)
        self._slots.restart_ends(node_id)

    def drop_removed_nodes(self, pool_id: str) -> None:
        """A resize removed nodes: what ran there is requeued (Batch's default
        ``nodeDeallocationOption``) and the nodes' directories go."""
        runs = self._slots.runs_on_pool(pool_id)
        gone = {r.node_id for r in runs if self._rt.get_node(pool_id, r.node_id) is None}
        for run in runs:
            if run.node_id in gone:
                run.stop("pool")
        for run in runs:
            if run.node_id in gone:
                run.done.wait(30)
        for node_id in gone:
            self._nodes.layout(pool_id, node_id).remove()

    def delete_pool(self, pool_id: str) -> None:
        runs = self._slots.runs_on_pool(pool_id)
        for run in runs:
            run.stop("pool")
        for run in runs:
            run.done.wait(30)
        self._nodes.remove_pool(pool_id)
        self._rt.finish_pool_deletion(pool_id)
