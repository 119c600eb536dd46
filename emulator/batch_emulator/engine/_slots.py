"""The engine's view of who runs where: task queues per job, busy slots per node.

Plain data behind the engine's lock; no I/O, so the lock is never held across a call
into the service.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from batch_emulator.engine._process import Run

__all__ = ["Placement", "Slots"]


def _key(resource_id: str) -> str:
    return resource_id.lower()


@dataclass(frozen=True)
class Placement:
    """A task chosen to run on a node, with the slots reserved for it."""

    task_id: str
    node: dict[str, Any]
    slots: int


@dataclass
class Slots:
    """Queues of active tasks per job and the runs occupying each node."""

    queues: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    busy: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    runs: dict[tuple[str, str], Run] = field(default_factory=dict)
    on_node: dict[str, set[Run]] = field(default_factory=lambda: defaultdict(set))
    per_job: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    restarting: set[str] = field(default_factory=set)
    blocked: set[tuple[str, str]] = field(default_factory=set)
    waiting: dict[str, set[str]] = field(default_factory=dict)  # parked on dependencies

    def enqueue(self, job_id: str, tasks: dict[str, int]) -> None:
        """Add tasks (id -> required slots) unless they are queued or running already."""
        queue = self.queues[_key(job_id)]
        for task_id, slots in tasks.items():
            if (_key(job_id), _key(task_id)) not in self.runs:
                queue.setdefault(task_id, slots)

    def has_work(self) -> bool:
        return any(self.queues.values())

    def waiting_jobs(self) -> list[str]:
        return [job for job, queue in self.queues.items() if queue]

    def place(self, job: dict[str, Any], nodes: list[dict[str, Any]]) -> Placement | None:
        """Take the job's first queued task that fits a free node: the one with the most
        free slots (``spread``) or the fewest that still fit (``pack``)."""
        job_key = _key(str(job["id"]))
        limit = int(job.get("maxParallelTasks", -1))
        if limit != -1 and self.per_job[job_key] >= limit:
            return None
        free = [
            (int(n["_slots"]) - self.busy[n["id"]], n)
            for n in nodes
            if n["id"] not in self.restarting and (job_key, n["id"]) not in self.blocked
        ]
        queue = self.queues.get(job_key, {})
        for task_id, slots in queue.items():
            fitting = [(room, n) for room, n in free if room >= slots]
            if fitting:
                pack = fitting[0][1].get("_fill") == "pack"
                node = (min if pack else max)(fitting, key=lambda pair: pair[0])[1]
                del queue[task_id]
                self.busy[node["id"]] += slots
                self.per_job[job_key] += 1
                return Placement(task_id, node, slots)
        return None

    def occupy(self, run: Run) -> None:
        """A placed task's run: slots were reserved by :meth:`place`."""
        self.runs[(_key(run.job_id), _key(run.task_id))] = run
        self.on_node[run.node_id].add(run)

    def track(self, run: Run) -> None:
        """A preparation or release run: on the node, in no slot."""
        self.on_node[run.node_id].add(run)

    def untrack(self, run: Run) -> None:
        self.on_node[run.node_id].discard(run)

    def release(self, run: Run, slots: int) -> None:
        """A task's run ended (or never started): its slots are free again."""
        self.runs.pop((_key(run.job_id), _key(run.task_id)), None)
        self.on_node[run.node_id].discard(run)
        self.busy[run.node_id] = max(0, self.busy[run.node_id] - slots)
        self.per_job[_key(run.job_id)] = max(0, self.per_job[_key(run.job_id)] - 1)

    def job_runs(self, job_id: str) -> list[Run]:
        job_key = _key(job_id)
        return [r for runs in self.on_node.values() for r in runs if _key(r.job_id) == job_key]

    def drop_job(self, job_id: str) -> None:
        self.queues.pop(_key(job_id), None)
        self.waiting.pop(_key(job_id), None)
        self.blocked = {(j, n) for j, n in self.blocked if j != _key(job_id)}

    def clear(self) -> None:
        self.queues.clear()
        self.busy.clear()
        self.runs.clear()
        self.on_node.clear()
        self.per_job.clear()
        self.restarting.clear()
        self.blocked.clear()
        self.waiting.clear()
