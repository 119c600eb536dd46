"""BatchJob options through the real CLI against the emulator: generated ids with
create-before-delete, adoption, terminate-on-delete, and one-line Batch errors."""

from __future__ import annotations

import pytest
from azure.batch import BatchClient
from azure.batch.models import BatchJobCreateOptions, BatchPoolInfo
from azure.core.exceptions import ResourceNotFoundError
from pulumi import automation as auto

from tests.support.job_stacks import StackFactory, set_job, spec


def test_generated_job_id_is_stable_and_replacement_creates_before_deleting(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    unnamed = spec("ignored")
    del unnamed["id"]
    stack = job_stack(unnamed)
    first = stack.up().outputs["job_id"].value
    assert first.startswith("job-") and len(first) == len("job-") + 8
    assert batch.get_job(first).priority == 10

    unnamed["priority"] = 11
    set_job(stack, unnamed)
    assert stack.up().outputs["job_id"].value == first, "an update keeps the generated id"

    unnamed["job_preparation_task"] = {"command_line": "/bin/sh -c 'echo prep v2'"}
    set_job(stack, unnamed)
    events: list[auto.EngineEvent] = []
    second = stack.up(on_event=events.append).outputs["job_id"].value
    assert second != first and second.startswith("job-")
    ops = [
        e.resource_pre_event.metadata.op
        for e in events
        if e.resource_pre_event
        and e.resource_pre_event.metadata.type == "azure-batch-jobs:index:BatchJob"
    ]
    assert ops == [auto.OpType.CREATE_REPLACEMENT, auto.OpType.REPLACE, auto.OpType.DELETE_REPLACED]
    with pytest.raises(ResourceNotFoundError):
        batch.get_job(first)
    stack.destroy()
    with pytest.raises(ResourceNotFoundError):
        batch.get_job(second)


def test_adoption_takes_over_a_matching_job_and_refuses_a_different_one(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    batch.create_job(
        BatchJobCreateOptions(id="adoptee", pool_info=BatchPoolInfo(pool_id="default"), priority=3)
    )
    declared = {"id": "adoptee", "pool_info": {"pool_id": "default"}, "priority": 4}
    stack = job_stack(declared, {"adopt": True})
    with pytest.raises(auto.CommandError) as failure:
        stack.up()
    message = str(failure.value)
    assert "adopting job 'adoptee' failed" in message
    assert "priority: declared 4, existing 3" in message
    assert "Traceback" not in message
    assert batch.get_job("adoptee").priority == 3, "a refused adoption changes nothing"

    set_job(stack, {**declared, "priority": 3})
    adopted = stack.up()
    assert adopted.outputs["job_id"].value == "adoptee"
    assert adopted.outputs["url"].value.endswith("/jobs/adoptee")
    stack.destroy()
    with pytest.raises(ResourceNotFoundError):
        batch.get_job("adoptee")


def test_an_existing_job_not_ours_is_a_one_line_error(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    batch.create_job(BatchJobCreateOptions(id="taken", pool_info=BatchPoolInfo(pool_id="default")))
    stack = job_stack(spec("taken"))
    with pytest.raises(auto.CommandError) as failure:
        stack.up()
    message = str(failure.value)
    assert "creating job 'taken' failed [JobExists 409]" in message
    assert "adopt it with adopt=True" in message
    assert "Traceback" not in message
    assert batch.get_job("taken").priority in (0, None), "the existing job is untouched"


def test_on_delete_terminate_keeps_the_job_record(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    stack = job_stack(spec("kept"), {"on_delete": "terminate"})
    stack.up()
    stack.destroy()
    job = batch.get_job("kept")
    assert str(getattr(job.state, "value", job.state)) == "completed"


def test_pool_change_is_applied_in_place_by_disable_patch_enable(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    from azure.batch.models import BatchPoolCreateOptions

    batch.create_pool(
        BatchPoolCreateOptions(
            id="second", vm_size="standard_d2s_v3", target_dedicated_nodes=1, task_slots_per_node=1
        )
    )
    stack = job_stack(spec("moving"))
    stack.up()
    created = batch.get_job("moving").creation_time
    set_job(stack, spec("moving", pool_info={"pool_id": "second"}))
    assert stack.preview().change_summary == {"same": 1, "update": 1}
    stack.up()
    job = batch.get_job("moving")
    assert job.pool_info.pool_id == "second"
    assert job.creation_time == created, "the same job, not a replacement"
    assert str(getattr(job.state, "value", job.state)) == "active", "enabled again"
    stack.destroy()
