"""An engine that really runs tasks as processes on emulated nodes.

One dispatcher thread places queued tasks on free slots; each placed task, preparation
and release task runs in its own thread that waits on its process. Threads never hold
the engine lock while calling the service, and service hooks only queue work and wake
the dispatcher, so requests are never blocked by running tasks.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from batch_emulator.clock import parse_iso
from batch_emulator.engine._base import Runtime
from batch_emulator.engine._clock import EngineClock, limit
from batch_emulator.engine._endings import Endings
from batch_emulator.engine._exit_options import satisfied
from batch_emulator.engine._layout import NodeLayout, task_environment
from batch_emulator.engine._process import ProcessTable, Run
from batch_emulator.engine._runner import Attempt, Outcome, run_attempt
from batch_emulator.engine._slots import Slots
from batch_emulator.engine._timers import Timer, Timers
from batch_emulator.engine._work import Work
from batch_emulator.errors import BatchError

__all__ = ["ProcessEngine"]

_log = logging.getLogger(__name__)


class ProcessEngine:
    """Runs tasks, preparation and release tasks as processes under ``node_root``."""

    def __init__(self, node_root: Path, clock: EngineClock, account: str = "emulator") -> None:
        self.node_root = node_root
        self.clock = clock
        self.account = account
        self.account_url = ""
        self.processes = ProcessTable(node_root / ".engine-process-groups")
        self.timers = Timers(clock)
        self.slots = Slots()
        self.lock = threading.Condition()
        self.work = Work(self)
        self.endings = Endings(self)
        self._runtime: Runtime | None = None
        self._rescan: set[str] = set()
        self._kicked = False
        self._stopped = False
        self._job_timers: dict[str, Timer] = {}
        self._threads: set[threading.Thread] = set()
        self._dispatcher = threading.Thread(target=self._dispatch, name="engine-dispatch")

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("engine not attached")
        return self._runtime

    def layout(self, pool_id: str, node_id: str) -> NodeLayout:
        return NodeLayout.of(self.node_root, pool_id, node_id)

    def spawn(self, target: Callable[..., None], *args: Any) -> None:
        """Run ``target`` in a tracked thread (shutdown waits for it)."""

        def body() -> None:
            try:
                target(*args)
            except BatchError as error:  # the resource went away meanwhile
                _log.debug("engine work ended early: %s", error.code)
            except Exception:
                _log.exception("engine thread failed")
            finally:
                with self.lock:
                    self._threads.discard(thread)

        thread = threading.Thread(target=body, daemon=True)
        with self.lock:
            if self._stopped:
                return
            self._threads.add(thread)
        thread.start()

    def kick(self, rescan: str | None = None) -> None:
        """Wake the dispatcher (optionally reloading a job's queue from the store)."""
        with self.lock:
            if rescan is not None:
                self._rescan.add(rescan)
            self._kicked = True
            self.lock.notify_all()

    # -- service hooks -----------------------------------------------------------

    def attach(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self.node_root.mkdir(parents=True, exist_ok=True)
        runtime.recover()
        for pool_id, node_id, job_id, task_id, end, retention in runtime.retained():
            task_dir = self.layout(pool_id, node_id).task_dir(job_id, task_id)
            self.retain(task_dir, retention, since=parse_iso(end))
        for job_id in runtime.jobs_in_state("active"):
            self._arm_job_timer(job_id)
            self._rescan.add(job_id)
        for job_id in runtime.jobs_in_state("terminating"):
            self.endings.begin(job_id, delete=False, release=True)
        for job_id in runtime.jobs_in_state("deleting"):
            self.endings.begin(job_id, delete=True, release=True)
        self._kicked = True
        self._dispatcher.start()

    def tasks_added(self, job_id: str, task_ids: list[str]) -> None:
        found = (self.runtime.get_task(job_id, t) for t in task_ids)
        self._admit(job_id, [t for t in found if t is not None])
        self.kick()

    def _admit(self, job_id: str, tasks: list[dict[str, Any]]) -> None:
        """Queue active tasks whose dependencies are satisfied; park the others."""
        ready: dict[str, int] = {}
        parked: set[str] = set()
        for task in tasks:
            depends_on = task.get("dependsOn")
            if depends_on and not satisfied(self.runtime, job_id, depends_on):
                parked.add(task["id"])
            else:
                ready[task["id"]] = int(task.get("requiredSlots", 1))
        with self.lock:
            waiting = self.slots.waiting.setdefault(job_id.lower(), set())
            waiting.difference_update(ready)
            waiting.update(parked)
            self.slots.enqueue(job_id, ready)

    def job_schedulable(self, job_id: str) -> None:
        self._arm_job_timer(job_id)
        self.kick(rescan=job_id)

    def pool_changed(self, pool_id: str) -> None:
        with self.lock:
            busy = any(r.pool_id.lower() == pool_id.lower() for r in self._all_runs())
        if busy:  # a resize may have removed nodes that run something
            self.spawn(self.work.drop_removed_nodes, pool_id)
        self.kick()

    def job_terminating(self, job_id: str) -> None:
        self.endings.begin(job_id, delete=False, release=True)

    def job_deleting(self, job_id: str, run_release: bool) -> None:
        self.endings.begin(job_id, delete=True, release=run_release)

    def task_terminating(self, job_id: str, task_id: str) -> None:
        with self.lock:
            run = self.slots.runs.get((job_id.lower(), task_id.lower()))
        if run is not None:
            run.stop("terminated")

    def node_restarting(
        self, pool_id: str, node_id: str, reimage: bool, option: str = "requeue"
    ) -> None:
        with self.lock:
            self.slots.restarting.add(node_id)
            self.slots.blocked = {(j, n) for j, n in self.slots.blocked if n != node_id}
        self.spawn(self.work.restart_node, pool_id, node_id, reimage, option)

    def pool_deleting(self, pool_id: str) -> None:
        self.spawn(self.work.delete_pool, pool_id)

    def reset(self) -> None:
        runs = self._stop_all("shutdown")
        for run in runs:
            run.done.wait(10)
        with self.lock:
            self.slots.clear()
            self._rescan.clear()
            for timer in self._job_timers.values():
                timer.cancel()
            self._job_timers.clear()
        self.endings.clear()

    def shutdown(self) -> None:
        with self.lock:
            self._stopped = True
            self.lock.notify_all()
            threads = list(self._threads)
        self._stop_all("shutdown")
        self.processes.kill_all()
        self.endings.clear()
        for thread in threads:
            thread.join(10)
        if self._dispatcher.is_alive():
            self._dispatcher.join(10)
        self.timers.stop()

    def _all_runs(self) -> list[Run]:
        return [run for node_runs in self.slots.on_node.values() for run in node_runs]

    def _stop_all(self, reason: str) -> list[Run]:
        with self.lock:
            runs = self._all_runs()
        for run in runs:
            run.stop(reason)
        return runs

    @property
    def stopped(self) -> bool:
        return self._stopped

    # -- job wall clock ------------------------------------------------------------

    def _arm_job_timer(self, job_id: str) -> None:
        job = self.runtime.get_job(job_id)
        if job is None:
            return
        wall = limit(job.get("constraints", {}).get("maxWallClockTime"))
        if wall is None:
            return
        deadline = parse_iso(str(job["creationTime"])) + wall
        with self.lock:
            old = self._job_timers.pop(job_id.lower(), None)
            if old is not None:
                old.cancel()
            self._job_timers[job_id.lower()] = self.timers.at(
                deadline, lambda: self.runtime.expire_job(job_id)
            )

    def forget_job(self, job_id: str) -> None:
        with self.lock:
            self.slots.drop_job(job_id)
            timer = self._job_timers.pop(job_id.lower(), None)
        if timer is not None:
            timer.cancel()

    # -- dispatching -------------------------------------------------------------

    def _dispatch(self) -> None:
        while True:
            with self.lock:
                while not self._stopped and not self._kicked:
                    self.lock.wait()
                if self._stopped:
                    return
                self._kicked = False
                rescan, self._rescan = self._rescan, set()
            for job_id in rescan:
                self._reload(job_id)
            try:
                self._place_all()
            except Exception:
                _log.exception("dispatching failed")

    def _reload(self, job_id: str) -> None:
        self._admit(job_id, self.runtime.pending_tasks(job_id, None))

    def _place_all(self) -> None:
        with self.lock:
            jobs = self.slots.waiting_jobs()
        targets = []
        for job_id in jobs:
            target = self.runtime.schedulable(job_id)
            if target is not None and target[1]:
                targets.append(target)
        targets.sort(key=lambda t: (-int(t[0].get("priority", 0)), str(t[0]["creationTime"])))
        for job, nodes in targets:
            while self._place_one(job, nodes):
                pass

    def _place_one(self, job: dict[str, Any], nodes: list[dict[str, Any]]) -> bool:
        with self.lock:
            if self._stopped:
                return False
            placement = self.slots.place(job, nodes)
            if placement is None:
                return False
            node = placement.node
            run = Run("task", job["id"], placement.task_id, node["_poolId"], node["id"])
            self.slots.occupy(run)
        rt = self.runtime
        needs_prep = "jobPreparationTask" in job and not rt.preparation_done(job["id"], node["id"])
        state = "preparing" if needs_prep else "running"
        try:
            task = rt.claim_task(job["id"], placement.task_id, node["_poolId"], node["id"], state)
        except BatchError:  # the node or the job went away since the placement
            task = None
        if task is None:
            with self.lock:
                self.slots.release(run, placement.slots)
            run.done.set()
            return True
        self.spawn(self.work.run_task, run, job, task, node, placement.slots, needs_prep)
        return True

    # -- attempts ------------------------------------------------------------------

    def attempt(
        self,
        run: Run,
        job: dict[str, Any],
        spec: dict[str, Any],
        node: dict[str, Any],
        wall: timedelta | None,
    ) -> Outcome:
        """One run of ``spec`` (a task, preparation or release task) on ``node``."""
        layout = self.layout(run.pool_id, run.node_id)
        layout.ensure()
        env = task_environment(
            layout,
            account=self.account,
            account_url=self.account_url,
            pool_id=run.pool_id,
            node_id=run.node_id,
            is_dedicated=bool(node.get("isDedicated", True)),
            job=job,
            task_id=run.task_id,
            task=spec,
        )
        attempt = Attempt(
            task_dir=layout.task_dir(job["id"], run.task_id),
            command_line=str(spec["commandLine"]),
            env=env,
            resource_files=list(spec.get("resourceFiles", [])),
            container_settings=spec.get("containerSettings"),
            deadline=None if wall is None else self.clock.now() + wall,
        )
        return run_attempt(run, attempt, self.processes, self.timers)

    def retain(self, path: Path, retention: object, since: datetime | None = None) -> None:
        """Remove a task directory once its retention time (default 7 days) has passed."""
        keep = limit(retention if retention is not None else "P7D")
        if keep is None:
            return
        start = self.clock.now() if since is None else since
        self.timers.at(start + keep, lambda: shutil.rmtree(path, ignore_errors=True))
