"""The instant engine completes a task collection in one batched runtime verb
(``complete_instantly``): its observable result must be exactly what running each task
through ``start_task`` then ``complete_task`` leaves — tasks, nodes, the job (statistics,
state), preparation and release records, and the job's end through onAllTasksComplete.

Both engines run in process on the same manual clock, so even times and ETags compare.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from batch_emulator.clock import ManualClock
from batch_emulator.engine import InstantEngine
from batch_emulator.protocols import Execution
from batch_emulator.service import BatchService, Conditions
from batch_emulator.store import Store


class PerTaskInstantEngine(InstantEngine):
    """The instant engine as it was: every task through start_task + complete_task."""

    def _run(self, job_id: str, task_ids: list[str] | None) -> None:
        rt = self.runtime
        target = rt.schedulable(job_id)
        if target is None:
            return
        job, nodes = target
        if not nodes:
            return
        for task in rt.pending_tasks(job_id, task_ids):
            fitting = [n for n in nodes if n["_slots"] >= int(task.get("requiredSlots", 1))]
            if not fitting:
                continue
            node = fitting[next(self._turn) % len(fitting)]
            pool_id, node_id = node["_poolId"], node["id"]
            if "jobPreparationTask" in job and not rt.preparation_done(job_id, node_id):
                rt.record_preparation(job_id, Execution(pool_id, node_id, "running"))
                rt.record_preparation(job_id, Execution(pool_id, node_id, "completed", 0))
            rt.start_task(job_id, task["id"], pool_id, node_id)
            rt.complete_task(job_id, task["id"], 0)


def _account(
    engine: InstantEngine,
    job: dict[str, Any],
    batches: list[list[dict[str, Any]]],
    *,
    pool_last: bool = False,
) -> tuple[dict[str, Any], list[list[dict[str, Any]]]]:
    """Run ``batches`` of tasks through a fresh in-memory account; its resources (node
    ids, which are random, replaced by their order) and the collections' results.
    ``pool_last``: the job and its tasks wait for the pool, created at the end (with
    ``onAllTasksComplete`` set then, as a job with no task yet would end at once)."""
    service = BatchService(Store(None), ManualClock(), engine)
    pool = {
        "id": "p",
        "vmSize": "standard_d2s_v3",
        "targetDedicatedNodes": 3,
        "taskSlotsPerNode": 2,
    }
    if not pool_last:
        service.pools.create(pool)
    service.jobs.create({k: v for k, v in job.items() if k != "onAllTasksComplete"})
    results = [service.tasks.create_collection(job["id"], {"value": b}) for b in batches]
    if "onAllTasksComplete" in job:
        patch = {"onAllTasksComplete": job["onAllTasksComplete"]}
        service.jobs.update(job["id"], patch, Conditions())
    if pool_last:
        service.pools.create(pool)
    store = service.context.store
    dump = {
        kind: [row.body for row in store.list(kind, parent)]
        for kind, parent in (("job", ""), ("task", "j"), ("node", "p"), ("prep", "j"))
    }
    text = json.dumps(dump)
    for number, node in enumerate(dump["node"]):
        text = text.replace(node["id"], f"node-{number}")
    for item in (i for r in results for i in r):
        error = item.pop("_error", None)
        if error is not None:
            item["error"] = error.code
    return json.loads(text), results


def _task(task_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": task_id, "commandLine": "/bin/true", **extra}


JOBS = {
    "plain": {"id": "j", "poolInfo": {"poolId": "p"}},
    "preparation_release_terminate": {
        "id": "j",
        "poolInfo": {"poolId": "p"},
        "jobPreparationTask": {"commandLine": "echo prep"},
        "jobReleaseTask": {"commandLine": "echo release"},
        "onAllTasksComplete": "terminatejob",
    },
    "job_manager": {
        "id": "j",
        "poolInfo": {"poolId": "p"},
        "jobPreparationTask": {"commandLine": "echo prep"},
        "jobManagerTask": {"id": "jm", "commandLine": "echo manager"},
    },
}


CASES = [
    ("plain", False),
    ("plain", True),
    ("preparation_release_terminate", False),
    ("preparation_release_terminate", True),
    # With its pool ready, the Job Manager task completes (and ends the job) at creation.
    ("job_manager", True),
]


@pytest.mark.parametrize(("name", "pool_last"), CASES)
def test_batched_instant_completion_matches_the_per_task_path(name: str, pool_last: bool) -> None:
    batches = [
        [_task(f"t{i}") for i in range(40)],
        [_task("wide", requiredSlots=2), _task("too-wide", requiredSlots=3), _task("t0")],
        [_task("dup"), _task("DUP"), _task("bad id!"), _task("last")],
    ]
    expected = _account(PerTaskInstantEngine(), JOBS[name], batches, pool_last=pool_last)
    assert _account(InstantEngine(), JOBS[name], batches, pool_last=pool_last) == expected
    assert expected[0]["task"], "the scenario ran no task"


def test_batched_instant_completion_leaves_what_batch_reports() -> None:
    job = JOBS["preparation_release_terminate"]
    dump, results = _account(InstantEngine(), job, [[_task(f"t{i}") for i in range(30)]])
    assert [r["status"] for r in results[0]] == ["success"] * 30
    tasks, nodes, (record_job,) = dump["task"], dump["node"], dump["job"]
    assert {t["state"] for t in tasks} == {"completed"}
    for task in tasks:
        info = task["executionInfo"]
        assert (info["exitCode"], info["result"]) == (0, "success")
        assert info["startTime"] <= info["endTime"]
        assert task["nodeInfo"]["poolId"] == "p"
    assert sum(n["totalTasksRun"] for n in nodes) == 30
    assert sum(n["totalTasksSucceeded"] for n in nodes) == 30
    assert {(n["state"], n["runningTasksCount"], n["runningTaskSlotsCount"]) for n in nodes} == {
        ("idle", 0, 0)
    }
    first_start: dict[str, str] = {}
    for task in tasks:
        node_id = task["nodeInfo"]["nodeId"]
        first_start[node_id] = min(
            first_start.get(node_id, "~"), task["executionInfo"]["startTime"]
        )
    for record in dump["prep"]:
        prep = record["jobPreparationTaskExecutionInfo"]
        assert prep["state"] == "completed"
        assert prep["endTime"] <= first_start[record["nodeId"]]
        assert record["jobReleaseTaskExecutionInfo"]["state"] == "completed"
    assert record_job["_stats"]["succeeded"] == 30
    assert (record_job["state"], record_job["executionInfo"]["terminateReason"]) == (
        "completed",
        "AllTasksComplete",
    )
