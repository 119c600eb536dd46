"""An engine that completes everything at once: tasks succeed with exit code 0.

It keeps Batch's lifecycle order (preparation before the first task on a node, release
on every node where preparation completed) so the job's observable states match, but it
runs no processes. Select it with ``batch-emulator serve --engine instant``. Given a
clock, job schedules recur on it; without one, only when the service acts.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from batch_emulator.engine._clock import EngineClock
from batch_emulator.engine._recurrences import Recurrences
from batch_emulator.engine._timers import Timers
from batch_emulator.protocols import Execution, Runtime

__all__ = ["InstantEngine"]


class InstantEngine:
    """Completes tasks, preparation and release tasks synchronously."""

    def __init__(self, clock: EngineClock | None = None) -> None:
        self._runtime: Runtime | None = None
        self._turn = itertools.count()
        self._timers = None if clock is None else Timers(clock)
        self._recurrences = Recurrences(self._timers)

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("engine not attached")
        return self._runtime

    def attach(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._recurrences.attach(runtime)
        runtime.resume_job_schedules()

    def tasks_added(self, job_id: str, task_ids: list[str]) -> None:
        self._run(job_id, task_ids)

    def job_schedulable(self, job_id: str) -> None:
        self._run(job_id, None)

    def pool_changed(self, pool_id: str) -> None:
        for job_id in self.runtime.jobs_on_pool(pool_id):
            self._run(job_id, None)

    def _run(self, job_id: str, task_ids: list[str] | None) -> None:
        rt = self.runtime
        target = rt.schedulable(job_id)
        if target is None:
            return
        job, nodes = target
        if not nodes:
            return
        manager = job.get("jobManagerTask")
        manager_key = None if manager is None else str(manager["id"]).lower()
        batch: list[tuple[str, str, str]] = []
        for task in rt.pending_tasks(job_id, task_ids):
            fitting = [n for n in nodes if n["_slots"] >= int(task.get("requiredSlots", 1))]
            if not fitting:
                continue
            node = fitting[next(self._turn) % len(fitting)]
            pool_id, node_id = node["_poolId"], node["id"]
            if str(task["id"]).lower() != manager_key:
                batch.append((task["id"], pool_id, node_id))
                continue
            # The Job Manager task's completion may end the job: on its own, in order.
            if batch:
                rt.complete_instantly(job_id, batch)
                batch = []
            if "jobPreparationTask" in job and not rt.preparation_done(job_id, node_id):
                rt.record_preparation(job_id, Execution(pool_id, node_id, "running"))
                rt.record_preparation(job_id, Execution(pool_id, node_id, "completed", 0))
            rt.start_task(job_id, task["id"], pool_id, node_id)
            rt.complete_task(job_id, task["id"], 0)
        if batch:
            rt.complete_instantly(job_id, batch)

    def job_terminating(self, job_id: str) -> None:
        self._release(job_id)
        self.runtime.finish_job_termination(job_id)

    def job_deleting(self, job_id: str, run_release: bool) -> None:
        if run_release:
            self._release(job_id)
        self.runtime.finish_job_deletion(job_id)

    def _release(self, job_id: str) -> None:
        rt = self.runtime
        for pool_id, node_id in rt.release_nodes(job_id):
            rt.record_release(job_id, Execution(pool_id, node_id, "running"))
            rt.record_release(job_id, Execution(pool_id, node_id, "completed", 0))

    def task_terminating(self, job_id: str, task_id: str) -> None:
        del job_id, task_id  # nothing runs, so nothing to stop

    def node_restarting(
        self, pool_id: str, node_id: str, reimage: bool, option: str = "requeue"
    ) -> None:
        del reimage, option
        self.runtime.finish_node_restart(pool_id, node_id)
        self.pool_changed(pool_id)

    def pool_deleting(self, pool_id: str) -> None:
        self.runtime.finish_pool_deletion(pool_id)

    def job_schedule_due(self, schedule_id: str, when: datetime | None) -> None:
        self._recurrences.due(schedule_id, when)

    def reset(self) -> None:
        """Nothing runs, so nothing to stop but the schedules' wake-ups."""
        self._recurrences.clear()

    def shutdown(self) -> None:
        self._recurrences.clear()
        if self._timers is not None:
            self._timers.stop()
        self._runtime = None
