"""The engine's view of who runs where: task queues per job, busy slots per node.

:class:`Slots` guards its data with its own lock and does no I/O, so no caller ever
holds it across a call into the service.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from batch_emulator.engine._process import Run

__all__ = ["Placement", "Slots"]


def _key(resource_id: str) -> str:
    return resource_id.lower()


@dataclass(frozen=True)
class Placement:
    """A task chosen to run on a node, with the slots reserved for it and its run."""

    task_id: str
    node: dict[str, Any]
    slots: int
    run: Run


class Slots:
    """Queues of active tasks per job and the runs occupying each node."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, dict[str, int]] = defaultdict(dict)
        self._busy: dict[str, int] = defaultdict(int)
        self._runs: dict[tuple[str, str], Run] = {}
        self._on_node: dict[str, set[Run]] = defaultdict(set)
        self._per_job: dict[str, int] = defaultdict(int)
        self._restarting: set[str] = set()
        self._blocked: set[tuple[str, str]] = set()  # (job, node): preparation failed
        self._waiting: dict[str, set[str]] = {}  # parked on dependencies

    # -- queues --------------------------------------------------------------------

    def enqueue(self, job_id: str, tasks: dict[str, int]) -> None:
        """Add tasks (id -> required slots) unless they are queued or running already."""
        self.admit(job_id, tasks, set())

    def admit(self, job_id: str, ready: dict[str, int], parked: set[str]) -> None:
        """Queue ``ready`` tasks; park the others until their dependencies are met."""
        job_key = _key(job_id)
        with self._lock:
            waiting = self._waiting.setdefault(job_key, set())
            waiting.difference_update(ready)
            waiting.update(parked)
            queue = self._queues[job_key]
            for task_id, slots in ready.items():
                if (job_key, _key(task_id)) not in self._runs:
                    queue.setdefault(task_id, slots)

    def has_waiting(self, job_id: str) -> bool:
        """Whether tasks of the job are parked on their dependencies."""
        with self._lock:
            return bool(self._waiting.get(_key(job_id)))

    def waiting_jobs(self) -> list[str]:
        with self._lock:
            return [job for job, queue in self._queues.items() if queue]

    def place(self, job: dict[str, Any], nodes: list[dict[str, Any]]) -> Placement | None:
        """Take the job's first queued task that fits a free node: the one with the most
        free slots (``spread``) or the fewest that still fit (``pack``). Its run then
        occupies the node until :meth:`release`."""
        job_key = _key(str(job["id"]))
        limit = int(job.get("maxParallelTasks", -1))
        with self._lock:
            if limit != -1 and self._per_job[job_key] >= limit:
                return None
            free = [
                (int(n["_slots"]) - self._busy[n["id"]], n)
                for n in nodes
                if n["id"] not in self._restarting and (job_key, n["id"]) not in self._blocked
            ]
            queue = self._queues.get(job_key, {})
            for task_id, slots in queue.items():
                fitting = [(room, n) for room, n in free if room >= slots]
                if fitting:
                    pack = fitting[0][1].get("_fill") == "pack"
                    node = (min if pack else max)(fitting, key=lambda pair: pair[0])[1]
                    del queue[task_id]
                    self._busy[node["id"]] += slots
                    self._per_job[job_key] += 1
                    run = Run("task", str(job["id"]), task_id, node["_poolId"], node["id"])
                    self._runs[(job_key, _key(task_id))] = run
                    self._on_node[run.node_id].add(run)
                    return Placement(task_id, node, slots, run)
        return None

    def release(self, run: Run, slots: int) -> None:
        """A task's run ended (or never started): its slots are free again."""
        with self._lock:
            self._runs.pop((_key(run.job_id), _key(run.task_id)), None)
            self._on_node[run.node_id].discard(run)
            self._busy[run.node_id] = max(0, self._busy[run.node_id] - slots)
            self._per_job[_key(run.job_id)] = max(0, self._per_job[_key(run.job_id)] - 1)

    # -- runs outside slots ----------------------------------------------------------

    def track(self, run: Run) -> None:
        """A preparation or release run: on the node, in no slot."""
        with self._lock:
            self._on_node[run.node_id].add(run)

    def untrack(self, run: Run) -> None:
        with self._lock:
            self._on_node[run.node_id].discard(run)

    # -- who runs where --------------------------------------------------------------

    def run_of(self, job_id: str, task_id: str) -> Run | None:
        with self._lock:
            return self._runs.get((_key(job_id), _key(task_id)))

    def all_runs(self) -> list[Run]:
        with self._lock:
            return [run for runs in self._on_node.values() for run in runs]

    def runs_on_node(self, node_id: str) -> list[Run]:
        with self._lock:
            return list(self._on_node.get(node_id, ()))

    def runs_on_pool(self, pool_id: str) -> list[Run]:
        return [run for run in self.all_runs() if _key(run.pool_id) == _key(pool_id)]

    def job_runs(self, job_id: str) -> list[Run]:
        return [run for run in self.all_runs() if _key(run.job_id) == _key(job_id)]

    # -- nodes a job or the engine keeps off ---------------------------------------------

    def restart_begins(self, node_id: str) -> None:
        """No new task starts on the node; failed preparations there are forgotten."""
        with self._lock:
            self._restarting.add(node_id)
            self._blocked = {(j, n) for j, n in self._blocked if n != node_id}

    def restart_ends(self, node_id: str) -> None:
        with self._lock:
            self._restarting.discard(node_id)

    def restarting(self, node_id: str) -> bool:
        with self._lock:
            return node_id in self._restarting

    def block(self, job_id: str, node_id: str) -> None:
        """The job's preparation failed on the node (``waitForSuccess``): skip it."""
        with self._lock:
            self._blocked.add((_key(job_id), node_id))

    def blocked(self, job_id: str, node_id: str) -> bool:
        with self._lock:
            return (_key(job_id), node_id) in self._blocked

    # -- forgetting ------------------------------------------------------------------

    def drop_job(self, job_id: str) -> None:
        with self._lock:
            self._queues.pop(_key(job_id), None)
            self._waiting.pop(_key(job_id), None)
            self._blocked = {(j, n) for j, n in self._blocked if j != _key(job_id)}

    def clear(self) -> None:
        with self._lock:
            for table in (self._queues, self._busy, self._runs, self._on_node, self._per_job):
                table.clear()
            self._restarting.clear()
            self._blocked.clear()
            self._waiting.clear()
