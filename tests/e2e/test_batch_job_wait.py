"""Waiting for a job's tasks, task counts as outputs, and re-runs on demand, through the
real CLI against the emulator (process engine: the tasks really run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from azure.batch import BatchClient
from pulumi import automation as auto

from tests.support.job_stacks import StackFactory, spec, state_name, wait_for_tasks

TYPE = "azure-batch-jobs:index:BatchJob"
FAILING = "/bin/sh -c 'echo warming up >&2; echo disk full >&2; exit 3'"


def _job_diagnostics(events: list[auto.EngineEvent]) -> list[str]:
    """Messages the plugin logged against the job's own resource."""
    return [
        e.diagnostic_event.message.strip()
        for e in events
        if e.diagnostic_event and (e.diagnostic_event.urn or "").endswith(f"{TYPE}::job")
    ]


def test_waiting_up_returns_once_every_task_completed_with_its_counts(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    tasks = [{"id": f"t{i}", "command_line": "/bin/sh -c 'sleep 0.3'"} for i in range(4)]
    stack = job_stack(spec("waited", tasks=tasks), {"wait_for_tasks": "completion"})
    events: list[auto.EngineEvent] = []
    outputs = stack.up(on_event=events.append).outputs
    counts = {"active": 0, "running": 0, "completed": 4, "succeeded": 4, "failed": 0}
    assert outputs["task_counts"].value == counts
    states = {state_name(t.state) for t in batch.list_tasks("waited")}
    assert states == {"completed"}, "up returned only after every task completed"
    assert "4/4 tasks completed, 0 failed" in _job_diagnostics(events)
    stack.destroy()


def test_without_waiting_the_counts_are_read_after_create_and_refresh(
    job_stack: StackFactory,
) -> None:
    stack = job_stack(spec("counted"))
    counts = stack.up().outputs["task_counts"].value
    assert sum(counts[k] for k in ("active", "running", "completed")) == 3
    stack.refresh()
    refreshed = stack.outputs()["task_counts"].value
    assert sum(refreshed[k] for k in ("active", "running", "completed")) == 3
    stack.destroy()


def test_a_failed_task_fails_up_naming_it_and_the_job_stays_in_the_stack(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    tasks = [{"id": "fine", "command_line": "/bin/true"}, {"id": "broken", "command_line": FAILING}]
    stack = job_stack(spec("failing", tasks=tasks), {"wait_for_tasks": "completion"})
    with pytest.raises(auto.CommandError) as failure:
        stack.up()
    message = str(failure.value)
    assert "1 of 2 completed tasks of job 'failing' failed" in message
    assert "task broken: exit code 3, failure category usererror" in message
    assert "| warming up" in message and "| disk full" in message, "stderr.txt's last lines"
    assert "Traceback" not in message and "fine" not in message.split("failed:")[1]
    created = batch.get_job("failing").creation_time

    deployment = stack.export_stack().deployment
    assert deployment is not None
    resources = deployment["resources"]
    (job,) = [r for r in resources if r["type"] == TYPE]
    assert job["id"] == "failing" and job.get("initErrors"), "in the state, with the error"

    events: list[auto.EngineEvent] = []
    with pytest.raises(auto.CommandError) as again:
        stack.up(on_event=events.append)  # waits again: the task is still failed
    assert "task broken: exit code 3" in str(again.value), "the failure is not hidden"
    ops = [e.resource_pre_event.metadata.op for e in events if e.resource_pre_event]
    assert auto.OpType.CREATE not in ops and auto.OpType.REPLACE not in ops
    assert batch.get_job("failing").creation_time == created, "the same job, not recreated"
    stack.destroy()


def test_a_wait_beyond_its_timeout_fails_up_clearly_and_keeps_the_job(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    tasks = [{"id": "slow", "command_line": "/bin/sh -c 'sleep 60'"}]
    settings = {"wait_for_tasks": "completion", "wait_timeout_seconds": 1}
    stack = job_stack(spec("slow", tasks=tasks), settings)
    with pytest.raises(auto.CommandError) as failure:
        stack.up()
    message = str(failure.value)
    assert "waiting for the tasks of job 'slow' timed out after 1 s" in message
    assert "Traceback" not in message
    assert state_name(batch.get_job("slow").state) == "active", "the job keeps running"
    stack.destroy()


def test_a_change_of_triggers_replaces_a_fixed_id_job_deleting_it_first(
    job_stack: StackFactory, batch: BatchClient, tmp_path: Path
) -> None:
    # The tasks run as local processes: preparation and release tasks append to one log, so
    # its order is the order they ran in (on each node of the pool).
    log = tmp_path / "order.log"
    job = spec(
        "rerun",
        job_preparation_task={"command_line": f"/bin/sh -c 'echo prepare >> {log}'"},
        job_release_task={"command_line": f"/bin/sh -c 'echo release >> {log}'"},
    )
    stack = job_stack(job, {"triggers": {"run": 1}})
    stack.up()
    wait_for_tasks(batch, "rerun")  # its preparation ran, so its release runs on delete
    first = batch.get_job("rerun").creation_time

    stack.set_config("settings", auto.ConfigValue('{"triggers": {"run": 2}}'))
    events: list[auto.EngineEvent] = []
    stack.preview(on_event=events.append)
    (step,) = [
        e.resource_pre_event.metadata
        for e in events
        if e.resource_pre_event and e.resource_pre_event.metadata.op == auto.OpType.REPLACE
    ]
    assert step.type == TYPE and step.diffs == ["triggers"]
    assert (
        step.detailed_diff
        and step.detailed_diff["triggers"].diff_kind == auto.DiffKind.UPDATE_REPLACE
    )

    events.clear()
    stack.up(on_event=events.append)
    ops = [
        e.resource_pre_event.metadata.op
        for e in events
        if e.resource_pre_event and e.resource_pre_event.metadata.type == TYPE
    ]
    assert ops == [auto.OpType.DELETE_REPLACED, auto.OpType.REPLACE, auto.OpType.CREATE_REPLACEMENT]
    assert batch.get_job("rerun").creation_time > first, "a new job under the same id"
    wait_for_tasks(batch, "rerun")
    steps = " ".join(log.read_text().split())
    assert re.fullmatch(r"(prepare )+(release )+prepare( prepare)*", steps), steps
    stack.destroy()
