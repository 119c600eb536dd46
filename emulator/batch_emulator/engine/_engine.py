"""An engine that really runs tasks as processes on emulated nodes.

One dispatcher thread places queued tasks on free slots; each placed task, preparation
and release task runs in its own thread that waits on its process. Service hooks only
queue work and wake the dispatcher, so requests are never blocked by running tasks. The
parts each keep their own lock, and none is held across a call into the service:
:class:`Slots` (who runs where), :class:`Work` (task runs, node restarts, pool
deletions), :class:`Endings` (terminate/delete and the Job Release Task), :class:`Nodes`
(directories and processes).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from batch_emulator.clock import parse_iso
from batch_emulator.engine._clock import EngineClock, limit
from batch_emulator.engine._endings import Endings
from batch_emulator.engine._exit_options import satisfied
from batch_emulator.engine._files import DiskFiles
from batch_emulator.engine._nodes import Nodes
from batch_emulator.engine._process import Run
from batch_emulator.engine._recurrences import Recurrences
from batch_emulator.engine._slots import Slots
from batch_emulator.engine._timers import Timer, Timers
from batch_emulator.engine._work import Work
from batch_emulator.errors import BatchError
from batch_emulator.protocols import Runtime

__all__ = ["ProcessEngine"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Attached:
    """The parts that act on the account, made once the service hands its runtime over."""

    runtime: Runtime
    work: Work
    endings: Endings


class ProcessEngine:
    """Runs tasks, preparation and release tasks as processes under ``node_root``."""

    def __init__(self, node_root: Path, clock: EngineClock, account: str = "emulator") -> None:
        self.clock = clock
        self._timers = Timers(clock)
        self._recurrences = Recurrences(self._timers)
        self._nodes = Nodes(node_root, clock, self._timers, account)
        self.files = DiskFiles(node_root)  # what the file API reads
        self._slots = Slots()
        self._lock = threading.Condition()  # the dispatcher's wake-up, timers, threads
        self._parts: _Attached | None = None
        self._rescan: set[str] = set()
        self._kicked = False
        self._stopped = False
        self._job_timers: dict[str, Timer] = {}
        self._threads: set[threading.Thread] = set()
        self._dispatcher = threading.Thread(target=self._dispatch, name="engine-dispatch")

    @property
    def account_url(self) -> str:
        return self._nodes.account_url

    @account_url.setter
    def account_url(self, url: str) -> None:
        """Tasks see it as ``AZ_BATCH_ACCOUNT_URL``; known once the server is bound."""
        self._nodes.account_url = url

    @property
    def _attached(self) -> _Attached:
        if self._parts is None:
            raise RuntimeError("engine not attached")
        return self._parts

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        """Run ``target`` in a tracked thread (shutdown waits for it)."""

        def body() -> None:
            try:
                target(*args)
            except BatchError as error:  # the resource went away meanwhile
                _log.debug("engine work ended early: %s", error.code)
            except Exception:
                _log.exception("engine thread failed")
            finally:
                with self._lock:
                    self._threads.discard(thread)

        thread = threading.Thread(target=body, daemon=True)
        with self._lock:
            if self._stopped:
                return
            self._threads.add(thread)
        thread.start()

    def _kick(self, rescan: str | None = None) -> None:
        """Wake the dispatcher (optionally reloading a job's queue from the store)."""
        with self._lock:
            if rescan is not None:
                self._rescan.add(rescan)
            self._kicked = True
            self._lock.notify_all()

    # -- service hooks -----------------------------------------------------------

    def attach(self, runtime: Runtime) -> None:
        work = Work(runtime, self._slots, self._nodes, self.clock, self._kick)
        endings = Endings(runtime, self._slots, self._nodes, self._spawn, self._forget_job)
        self._parts = _Attached(runtime, work, endings)
        self._nodes.root.mkdir(parents=True, exist_ok=True)
        runtime.recover()
        for pool_id, node_id, job_id, task_id, end, retention in runtime.retained():
            task_dir = self._nodes.layout(pool_id, node_id).task_dir(job_id, task_id)
            self._nodes.retain(task_dir, retention, since=parse_iso(end))
        for job_id in runtime.jobs_in_state("active"):
            self._arm_job_timer(job_id)
            self._rescan.add(job_id)
        for job_id in runtime.jobs_in_state("terminating"):
            endings.begin(job_id, delete=False, release=True)
        for job_id in runtime.jobs_in_state("deleting"):
            endings.begin(job_id, delete=True, release=True)
        self._kicked = True
        self._dispatcher.start()
        self._recurrences.attach(runtime)
        runtime.resume_job_schedules()

    def tasks_added(self, job_id: str, task_ids: list[str]) -> None:
        found = (self._attached.runtime.get_task(job_id, t) for t in task_ids)
        self._admit(job_id, [t for t in found if t is not None])
        self._kick()

    def _admit(self, job_id: str, tasks: list[dict[str, Any]]) -> None:
        """Queue active tasks whose dependencies are satisfied; park the others."""
        runtime = self._attached.runtime
        ready: dict[str, int] = {}
        parked: set[str] = set()
        for task in tasks:
            depends_on = task.get("dependsOn")
            if depends_on and not satisfied(runtime, job_id, depends_on):
                parked.add(task["id"])
            else:
                ready[task["id"]] = int(task.get("requiredSlots", 1))
        self._slots.admit(job_id, ready, parked)

    def job_schedulable(self, job_id: str) -> None:
        self._arm_job_timer(job_id)
        self._kick(rescan=job_id)

    def pool_changed(self, pool_id: str) -> None:
        if self._slots.runs_on_pool(pool_id):  # a resize may have removed busy nodes
            self._spawn(self._attached.work.drop_removed_nodes, pool_id)
        self._kick()

    def job_terminating(self, job_id: str) -> None:
        self._attached.endings.begin(job_id, delete=False, release=True)

    def job_deleting(self, job_id: str, run_release: bool) -> None:
        self._attached.endings.begin(job_id, delete=True, release=run_release)

    def task_terminating(self, job_id: str, task_id: str) -> None:
        run = self._slots.run_of(job_id, task_id)
        if run is not None:
            run.stop("terminated")

    def node_restarting(
        self, pool_id: str, node_id: str, reimage: bool, option: str = "requeue"
    ) -> None:
        self._slots.restart_begins(node_id)
        self._spawn(self._restart_node, pool_id, node_id, reimage, option)

    def _restart_node(self, pool_id: str, node_id: str, reimage: bool, option: str) -> None:
        parts = self._attached
        parts.work.restart_node(pool_id, node_id, reimage, option)
        parts.endings.node_back(pool_id, node_id, reimaged=reimage)
        self._kick()

    def pool_deleting(self, pool_id: str) -> None:
        self._spawn(self._attached.work.delete_pool, pool_id)

    def job_schedule_due(self, schedule_id: str, when: datetime | None) -> None:
        self._recurrences.due(schedule_id, when)

    def reset(self) -> None:
        self._recurrences.clear()
        runs = self._stop_all("shutdown")
        for run in runs:
            run.done.wait(10)
        self._slots.clear()
        with self._lock:
            self._rescan.clear()
            for timer in self._job_timers.values():
                timer.cancel()
            self._job_timers.clear()
        if self._parts is not None:
            self._parts.endings.clear()

    def shutdown(self) -> None:
        with self._lock:
            self._stopped = True
            self._lock.notify_all()
            threads = list(self._threads)
        if self._parts is not None:
            self._parts.endings.close()
        self._stop_all("shutdown")
        self._nodes.processes.kill_all()
        for thread in threads:
            thread.join(10)
        if self._dispatcher.is_alive():
            self._dispatcher.join(10)
        self._timers.stop()

    def _stop_all(self, reason: str) -> list[Run]:
        runs = self._slots.all_runs()
        for run in runs:
            run.stop(reason)
        return runs

    # -- job wall clock ------------------------------------------------------------

    def _arm_job_timer(self, job_id: str) -> None:
        runtime = self._attached.runtime
        job = runtime.get_job(job_id)
        if job is None:
            return
        wall = limit(job.get("constraints", {}).get("maxWallClockTime"))
        if wall is None:
            return
        deadline = parse_iso(str(job["creationTime"])) + wall
        with self._lock:
            old = self._job_timers.pop(job_id.lower(), None)
            if old is not None:
                old.cancel()
            self._job_timers[job_id.lower()] = self._timers.at(
                deadline, lambda: runtime.expire_job(job_id)
            )

    def _forget_job(self, job_id: str) -> None:
        self._slots.drop_job(job_id)
        with self._lock:
            timer = self._job_timers.pop(job_id.lower(), None)
        if timer is not None:
            timer.cancel()

    # -- dispatching -------------------------------------------------------------

    def _dispatch(self) -> None:
        while True:
            with self._lock:
                while not self._stopped and not self._kicked:
                    self._lock.wait()
                if self._stopped:
                    return
                self._kicked = False
                rescan, self._rescan = self._rescan, set()
            for job_id in rescan:
                self._admit(job_id, self._attached.runtime.pending_tasks(job_id, None))
            try:
                self._place_all()
            except Exception:
                _log.exception("dispatching failed")

    def _place_all(self) -> None:
        runtime = self._attached.runtime
        targets = []
        for job_id in self._slots.waiting_jobs():
            target = runtime.schedulable(job_id)
            if target is not None and target[1]:
                targets.append(target)
        targets.sort(key=lambda t: (-int(t[0].get("priority", 0)), str(t[0]["creationTime"])))
        for job, nodes in targets:
            while self._place_one(job, nodes):
                pass

    def _place_one(self, job: dict[str, Any], nodes: list[dict[str, Any]]) -> bool:
        if self._stopped:
            return False
        placement = self._slots.place(job, nodes)
        if placement is None:
            return False
        node, run = placement.node, placement.run
        rt = self._attached.runtime
        needs_prep = "jobPreparationTask" in job and not rt.preparation_done(job["id"], node["id"])
        state = "preparing" if needs_prep else "running"
        try:
            task = rt.claim_task(job["id"], placement.task_id, node["_poolId"], node["id"], state)
        except BatchError:  # the node or the job went away since the placement
            task = None
        if task is None:
            self._slots.release(run, placement.slots)
            run.done.set()
            return True
        work = self._attached.work
        self._spawn(work.run_task, run, job, task, node, placement.slots, needs_prep)
        return True
