"""BatchJob through the real CLI against the real emulator: preview, up, update, replace,
refresh, destroy."""

from __future__ import annotations

import json

import pytest
from azure.batch import BatchClient
from azure.batch.models import BatchJobUpdateOptions
from azure.core.exceptions import ResourceNotFoundError
from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle
from tests.support.job_stacks import StackFactory, set_job, spec

JOB_TYPE = "azure-batch-jobs:index:BatchJob"


def test_preview_plans_the_job_and_sends_nothing(
    job_stack: StackFactory, emulator: EmulatorHandle, batch: BatchClient
) -> None:
    stack = job_stack(spec("preview-only"))
    emulator.reset_stats()
    result = stack.preview()
    assert result.change_summary == {"create": 2}
    assert emulator.stats()["total"] == 0
    with pytest.raises(ResourceNotFoundError):
        batch.get_job("preview-only")


def test_preview_of_an_invalid_job_fails_with_the_field_path_and_sends_nothing(
    job_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    bad = spec("bad-release")
    bad["job_release_task"]["max_wall_clock_time"] = "PT20M"
    stack = job_stack(bad)
    emulator.reset_stats()
    with pytest.raises(auto.CommandError) as failure:
        stack.preview()
    # The schema's path and value, as a program in any language writes them.
    assert "jobReleaseTask.maxWallClockTime: must be at most 15 minutes" in str(failure.value)
    assert "(got 'PT20M" in str(failure.value)
    assert "Traceback" not in str(failure.value)
    assert emulator.stats()["total"] == 0


def test_a_misspelled_argument_fails_preview_naming_the_path_and_the_nearest_field(
    job_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    keywords = {
        "job_id": "typo",
        "pool_id": "default",
        "job_preparation_task": {"command_line": "/bin/true"},
        "job_release_task": {"command_line": "/bin/true", "max_wallclock_time": "PT5M"},
    }
    stack = job_stack(spec("typo-base"), config={"keywords": json.dumps(keywords)})
    emulator.reset_stats()
    with pytest.raises(auto.CommandError) as failure:
        stack.preview()
    message = str(failure.value)
    assert (
        "job_release_task: unknown argument 'max_wallclock_time' "
        "(did you mean 'max_wall_clock_time'?)"
    ) in message
    assert "Traceback" not in message
    assert emulator.stats()["total"] == 0


def test_up_makes_the_api_minimum_of_requests(
    job_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    many = spec("minimum", tasks=[{"id": f"t{i}", "command_line": "/bin/true"} for i in range(150)])
    stack = job_stack(many)
    emulator.reset_stats()
    stack.up()
    stats = emulator.stats()
    assert stats["writes"] == 1 + 2, "one Add Job and ceil(150/100) Add Task Collection"
    assert stats["reads"] <= 2, "the job read back, and its task counts"
    stack.destroy()


def test_up_update_replace_refresh_destroy(
    job_stack: StackFactory, emulator: EmulatorHandle, batch: BatchClient
) -> None:
    stack = job_stack(spec("lifecycle"))
    up = stack.up()
    assert up.summary.resource_changes == {"create": 2}
    assert up.outputs["job_id"].value == "lifecycle"
    job = batch.get_job("lifecycle")
    assert job.priority == 10
    assert job.job_release_task is not None
    assert job.job_release_task.command_line == "/bin/sh -c 'echo release'"
    assert sorted(t.id for t in batch.list_tasks("lifecycle")) == ["t0", "t1", "t2"]

    # Nothing changed: a refresh finds no drift and the next preview plans nothing.
    assert stack.refresh().summary.resource_changes == {"same": 2}
    assert stack.preview().change_summary == {"same": 2}

    # A mutable property: updated in place, same job.
    created = job.creation_time
    set_job(stack, spec("lifecycle", priority=20))
    updated = stack.up()
    assert updated.summary.resource_changes == {"same": 1, "update": 1}
    job = batch.get_job("lifecycle")
    assert job.priority == 20
    assert job.creation_time == created

    # An immutable property: the preview names it, the job is replaced (delete first:
    # the id is fixed).
    changed = spec("lifecycle", priority=20)
    changed["job_release_task"]["command_line"] = "/bin/sh -c 'echo release v2'"
    set_job(stack, changed)
    events: list[auto.EngineEvent] = []
    preview = stack.preview(on_event=events.append)
    assert preview.change_summary == {"same": 1, "replace": 1}
    steps = [
        e.resource_pre_event.metadata
        for e in events
        if e.resource_pre_event and e.resource_pre_event.metadata.type == JOB_TYPE
    ]
    ops = [step.op for step in steps]
    assert ops == [auto.OpType.DELETE_REPLACED, auto.OpType.REPLACE, auto.OpType.CREATE_REPLACEMENT]
    [replace] = [step for step in steps if step.op == auto.OpType.REPLACE]
    assert replace.keys == ["jobReleaseTask"]
    assert replace.diffs == ["jobReleaseTask"]
    replaced = stack.up()
    assert replaced.summary.resource_changes == {"same": 1, "replace": 1}
    job = batch.get_job("lifecycle")
    assert job.job_release_task is not None
    assert job.job_release_task.command_line == "/bin/sh -c 'echo release v2'"
    assert job.creation_time != created

    # Drift: a change made outside Pulumi shows up on refresh.
    batch.update_job("lifecycle", BatchJobUpdateOptions(priority=99))
    refreshed = stack.refresh()
    assert refreshed.summary.resource_changes == {"same": 1, "update": 1}
    assert stack.preview().change_summary == {"same": 1, "update": 1}
    stack.up()
    assert batch.get_job("lifecycle").priority == 20

    destroyed = stack.destroy()
    assert destroyed.summary.resource_changes == {"delete": 2}
    with pytest.raises(ResourceNotFoundError):
        batch.get_job("lifecycle")


def test_values_unknown_at_preview_are_skipped_then_checked_once_known(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    stack = job_stack(spec("early"), config={"display_name_from_unknown": "true"})
    preview = stack.preview()
    assert preview.change_summary == {"create": 4}  # stack, echo, two jobs
    with pytest.raises(auto.CommandError) as failure:
        stack.up()
    message = str(failure.value)
    assert "displayName: must be at most 1024 characters" in message
    assert "Traceback" not in message
    with pytest.raises(ResourceNotFoundError):
        batch.get_job("early-late")
    stack.destroy()


def test_refresh_forgets_a_job_deleted_out_of_band(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    stack = job_stack(spec("vanishing"))
    stack.up()
    batch.begin_delete_job("vanishing", polling_interval=1).result()
    refreshed = stack.refresh()
    assert refreshed.summary.resource_changes == {"same": 1, "delete": 1}
    assert stack.preview().change_summary == {"same": 1, "create": 1}
    stack.destroy()
