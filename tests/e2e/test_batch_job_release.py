"""Destroy and the Job Release lifecycle, with the emulator really running tasks:
`pulumi destroy` returns only after the release tasks completed on every node where
the preparation task ran, and the terminate option keeps the job and its status."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from azure.batch import BatchClient

from tests.support.job_stacks import StackFactory, spec, state_name, wait_for_tasks


def release_spec(job_id: str, marker_dir: Path) -> dict[str, Any]:
    script = f"sleep 1; echo $AZ_BATCH_NODE_ID >> {marker_dir}/released-$AZ_BATCH_NODE_ID"
    return spec(
        job_id,
        job_release_task={"command_line": f"/bin/sh -c '{script}'", "max_wall_clock_time": "PT1M"},
        tasks=[{"id": f"t{i}", "command_line": "/bin/sh -c 'sleep 0.2'"} for i in range(6)],
    )


def prepared_nodes(batch: BatchClient, job_id: str) -> set[str]:
    return {
        str(s.node_id)
        for s in batch.list_job_preparation_and_release_task_status(job_id)
        if s.job_preparation_task_execution_info is not None
        and state_name(s.job_preparation_task_execution_info.state) == "completed"
    }


def test_destroy_returns_after_the_release_tasks_ran_on_every_prepared_node(
    job_stack: StackFactory, batch: BatchClient, tmp_path: Path
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    stack = job_stack(release_spec("released", markers))
    stack.up()
    wait_for_tasks(batch, "released")
    nodes = prepared_nodes(batch, "released")
    assert nodes, "the preparation task ran somewhere"
    assert list(markers.iterdir()) == [], "no release before the job ends"

    stack.destroy()
    # Each release task sleeps 1 s before writing: destroy must have waited for them.
    assert {p.name.removeprefix("released-") for p in markers.iterdir()} == nodes


def test_terminate_on_delete_keeps_the_job_with_release_status_per_node(
    job_stack: StackFactory, batch: BatchClient, tmp_path: Path
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    stack = job_stack(release_spec("terminated", markers), {"on_delete": "terminate"})
    stack.up()
    wait_for_tasks(batch, "terminated")
    nodes = prepared_nodes(batch, "terminated")
    stack.destroy()
    assert state_name(batch.get_job("terminated").state) == "completed"
    released = {
        str(s.node_id): state_name(s.job_release_task_execution_info.state)
        for s in batch.list_job_preparation_and_release_task_status("terminated")
        if s.job_release_task_execution_info is not None
    }
    assert released == dict.fromkeys(nodes, "completed")
