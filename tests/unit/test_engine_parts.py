"""The emulator engine's parts: placement, dependencies, limits, emulated time, the task
environment, and one attempt's wall clock."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from batch_emulator.clock import MAX_DURATION
from batch_emulator.engine._clock import EngineClock, limit
from batch_emulator.engine._exit_options import _action, dependency_ids
from batch_emulator.engine._layout import NodeLayout, task_environment
from batch_emulator.engine._nodes import Nodes
from batch_emulator.engine._process import Run
from batch_emulator.engine._slots import Slots
from batch_emulator.engine._timers import Timers


def _nodes(count: int, slots: int, fill: str = "spread") -> list[dict[str, Any]]:
    return [{"id": f"n{i}", "_poolId": "p", "_slots": slots, "_fill": fill} for i in range(count)]


def test_spread_places_on_the_node_with_most_free_slots() -> None:
    slots = Slots()
    slots.enqueue("j", {"a": 1, "b": 1})
    job = {"id": "j"}
    nodes = _nodes(2, 2)
    first = slots.place(job, nodes)
    second = slots.place(job, nodes)
    assert first is not None and second is not None
    assert first.node["id"] != second.node["id"]


def test_pack_fills_a_node_first() -> None:
    slots = Slots()
    slots.enqueue("j", {"a": 1, "b": 1})
    nodes = _nodes(2, 2, "pack")
    placed = [slots.place({"id": "j"}, nodes) for _ in range(2)]
    assert placed[0] is not None and placed[1] is not None
    assert placed[0].node["id"] == placed[1].node["id"]


def test_required_slots_skip_a_task_that_does_not_fit_and_max_parallel_limits() -> None:
    slots = Slots()
    slots.enqueue("j", {"big": 3, "small": 1})
    placed = slots.place({"id": "j"}, _nodes(1, 2))
    assert placed is not None and placed.task_id == "small"
    assert slots.place({"id": "j", "maxParallelTasks": 1}, _nodes(1, 8)) is None


def test_dependency_ids_and_actions() -> None:
    assert dependency_ids({"taskIds": ["a"], "taskIdRanges": [{"start": 1, "end": 3}]}) == [
        "a",
        "1",
        "2",
        "3",
    ]
    success = {"executionInfo": {"result": "success", "exitCode": 0}}
    failure = {"executionInfo": {"result": "failure", "exitCode": 5}}
    assert _action(success) == "satisfy"
    assert _action(failure) == "block"
    satisfy = {"exitCodes": [{"code": 5, "exitOptions": {"dependencyAction": "satisfy"}}]}
    assert _action({**failure, "exitConditions": satisfy}) == "satisfy"
    ranged = {
        "exitCodeRanges": [{"start": 1, "end": 9, "exitOptions": {"dependencyAction": "satisfy"}}]
    }
    assert _action({**failure, "exitConditions": ranged}) == "satisfy"


def test_limits_treat_the_maximum_duration_as_none() -> None:
    assert limit(MAX_DURATION) is None
    assert limit(None) is None
    assert limit("PT15M") == timedelta(minutes=15)


def test_timers_fire_when_the_clock_jumps() -> None:
    clock = EngineClock()
    timers = Timers(clock)
    fired = threading.Event()
    cancelled = threading.Event()
    try:
        timers.at(clock.now() + timedelta(days=7), fired.set)
        timers.at(clock.now() + timedelta(days=1), cancelled.set).cancel()
        assert not fired.wait(0.05)
        clock.advance(timedelta(days=7))
        assert fired.wait(5)
        assert not cancelled.is_set()
    finally:
        timers.stop()


def test_scaled_clock_runs_faster() -> None:
    clock = EngineClock(scale=60)
    assert clock.real_seconds(timedelta(minutes=1)) == 1.0


def test_task_settings_override_job_settings_which_override_batch_variables(tmp_path: Path) -> None:
    layout = NodeLayout.of(tmp_path, "Pool", "node-1")
    job = {
        "id": "job",
        "commonEnvironmentSettings": [{"name": "A", "value": "job"}, {"name": "B", "value": "job"}],
        "jobPreparationTask": {"id": "jobpreparation"},
    }
    task = {"environmentSettings": [{"name": "A", "value": "task"}]}
    env = task_environment(
        layout,
        account="acct",
        account_url="http://x",
        pool_id="Pool",
        node_id="node-1",
        is_dedicated=True,
        job=job,
        task_id="t",
        task=task,
    )
    assert (env["A"], env["B"]) == ("task", "job")
    assert env["AZ_BATCH_NODE_ROOT_DIR"] == str(tmp_path / "pool" / "node-1")
    assert env["AZ_BATCH_JOB_PREP_WORKING_DIR"].endswith("workitems/job/job-1/jobpreparation/wd")
    assert env["AZ_BATCH_TASK_USER_IDENTITY"] == "TaskNonAdmin"


def test_a_wall_clock_counts_from_the_recorded_start(tmp_path: Path) -> None:
    """A task's deadline is its recorded start plus its maximum wall clock time, however
    late its attempt is built: a start already past it stops the process at once."""
    clock = EngineClock()
    timers = Timers(clock)
    try:
        nodes = Nodes(tmp_path, clock, timers, "acct")
        run = Run("task", "job", "late", "pool", "node-1")
        started = clock.now() - timedelta(minutes=10)
        spec = {"id": "late", "commandLine": "/bin/sleep 60"}
        outcome = nodes.attempt(run, {"id": "job"}, spec, {}, timedelta(minutes=5), started)
    finally:
        timers.stop()
    assert outcome.stopped == "timeout"
    assert outcome.failure is not None and outcome.failure["code"] == "MaxWallClockTimeExceeded"
