"""What the native provider adds, through the real CLI: the generated id previewed is the id
created, ``pulumi import`` of an existing job, explicit providers for two accounts in one
stack, and deletes whose Job Release tasks run at the same time."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.credentials import AzureNamedKeyCredential
from azure.core.exceptions import ResourceNotFoundError
from pulumi import automation as auto

from batch_emulator.testing import start_emulator
from tests.support.job_stacks import StackFactory
from tests.support.pulumi_stack import (
    local_stack,
    resources_of_type,
    run_cli,
    stack_state_dir,
    state_file,
)

PROGRAMS = Path(__file__).parent / "programs"
JOB_TYPE = "azure-batch-jobs:index:BatchJob"


def _planned_job_ids(stack: auto.Stack) -> list[str]:
    events: list[auto.EngineEvent] = []
    stack.preview(on_event=events.append)
    return [
        str((e.resource_pre_event.metadata.new.inputs or {})["jobId"])
        for e in events
        if e.resource_pre_event
        and e.resource_pre_event.metadata.type == JOB_TYPE
        and e.resource_pre_event.metadata.new is not None
    ]


def test_the_generated_id_previewed_is_the_id_created(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    stack = job_stack({"pool_info": {"pool_id": "default"}, "priority": 3})
    [previewed] = _planned_job_ids(stack)
    assert _planned_job_ids(stack) == [previewed], "stable across runs"
    assert stack.up().outputs["job_id"].value == previewed
    assert batch.get_job(previewed).priority == 3
    stack.destroy()


_pulumi = run_cli


IMPORTED = {
    "id": "imported",
    "pool_info": {"pool_id": "default"},
    "priority": 5,
    "job_preparation_task": {"command_line": "/bin/true"},
    "job_release_task": {"command_line": "/bin/sh -c 'echo released'"},
}


def test_pulumi_import_reads_a_job_that_a_declaration_then_matches(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    batch.create_job(
        m.BatchJobCreateOptions(
            {
                "id": "imported",
                "poolInfo": {"poolId": "default"},
                "priority": 5,
                "jobPreparationTask": {"commandLine": "/bin/true"},
                "jobReleaseTask": {"commandLine": "/bin/sh -c 'echo released'"},
            }
        )
    )
    created = batch.get_job("imported").creation_time
    stack = job_stack(IMPORTED)
    imported = _pulumi(
        stack, "import", JOB_TYPE, "job", "imported", "--yes", "--protect=false",
        "--generate-code=false",
    )  # fmt: skip
    assert imported.returncode == 0, imported.stdout + imported.stderr
    [resource] = resources_of_type(state_file(_state_dir(stack), "batch-job-e2e"), JOB_TYPE)
    assert resource["id"] == "imported"
    assert resource["inputs"]["jobReleaseTask"]["commandLine"] == "/bin/sh -c 'echo released'"
    # The program declaring the same job: nothing to do.
    preview = stack.preview(diff=True)
    assert set(preview.change_summary) == {"same"}, preview.stdout
    stack.up()
    assert batch.get_job("imported").creation_time == created
    stack.destroy()
    with pytest.raises(ResourceNotFoundError):
        batch.get_job("imported")


def test_importing_a_job_that_does_not_exist_fails_and_leaves_no_resource(
    job_stack: StackFactory,
) -> None:
    stack = job_stack(IMPORTED)
    failed = _pulumi(
        stack, "import", JOB_TYPE, "job", "no-such-job", "--yes", "--generate-code=false"
    )
    assert failed.returncode != 0
    assert "importing job 'no-such-job' failed: no such job in the account" in failed.stdout
    assert "Traceback" not in failed.stdout + failed.stderr
    path = _state_dir(stack) / "backend" / ".pulumi" / "stacks" / "batch-job-e2e" / "test.json"
    if path.exists():
        assert resources_of_type(json.loads(path.read_text()), JOB_TYPE) == []


_state_dir = stack_state_dir


def test_explicit_providers_put_one_stack_s_jobs_in_two_accounts(tmp_path: Path) -> None:
    with (
        start_emulator(account="first", nodes=1) as one,
        start_emulator(account="second", nodes=1) as two,
    ):
        accounts = [{"endpoint": e.endpoint, "account": e.account} for e in (one, two)]
        stack = local_stack(
            PROGRAMS / "accounts",
            tmp_path / "pulumi",
            config={"accounts": json.dumps(accounts), "job_id": "everywhere"},
            secrets={"key-0": one.key, "key-1": two.key},
            extra_env={"AZURE_BATCH_ENDPOINT": "", "AZURE_BATCH_ACCESS_KEY": ""},
        )
        up = stack.up()
        assert up.outputs["url-0"].value == f"{one.endpoint}/jobs/everywhere"
        assert up.outputs["url-1"].value == f"{two.endpoint}/jobs/everywhere"
        clients = [
            BatchClient(e.endpoint, AzureNamedKeyCredential(e.account, e.key)) for e in (one, two)
        ]
        assert [c.get_job("everywhere").id for c in clients] == ["everywhere", "everywhere"]
        text = "".join(p.read_text() for p in (tmp_path / "pulumi").rglob("*.json"))
        assert one.key not in text and two.key not in text
        stack.destroy()
        for client in clients:
            with pytest.raises(ResourceNotFoundError):
                client.get_job("everywhere")


def _release_window(batch: BatchClient, job_id: str) -> tuple[datetime, datetime]:
    [status] = list(batch.list_job_preparation_and_release_task_status(job_id))
    info: Any = status.job_release_task_execution_info
    assert info is not None and info.end_time is not None, f"{job_id}: release did not complete"
    return info.start_time, info.end_time


def test_deletes_wait_for_their_release_tasks_at_the_same_time(tmp_path: Path) -> None:
    count = 6
    with start_emulator(nodes=count, slots=1) as emulator:
        stack = local_stack(
            PROGRAMS / "fleet",
            tmp_path / "pulumi",
            config={
                "count": str(count),
                "release_seconds": "2",
                "azure-batch-jobs:endpoint": emulator.endpoint,
                "azure-batch-jobs:accountName": emulator.account,
            },
            secrets={"azure-batch-jobs:accountKey": emulator.key},
        )
        stack.up()
        stack.destroy(parallel=count)
        credential = AzureNamedKeyCredential(emulator.account, emulator.key)
        batch = BatchClient(emulator.endpoint, credential)
        windows = [_release_window(batch, f"fleet-{i}") for i in range(count)]
        # Every release started before any other ended: the waits overlapped, none queued
        # behind another's.
        assert max(start for start, _ in windows) < min(end for _, end in windows), windows


def test_a_targeted_replace_that_keeps_the_id_keeps_the_job(
    job_stack: StackFactory, batch: BatchClient
) -> None:
    """``pulumi up --replace`` changes no property, so the id stays; the engine creates the
    replacement first (it asks no provider), which takes the job over, and the old
    resource's delete then leaves the job alone: never a state without its job."""
    stack = job_stack({"pool_info": {"pool_id": "default"}})
    job_id = stack.up().outputs["job_id"].value
    first = batch.get_job(job_id).creation_time
    [resource] = resources_of_type(state_file(_state_dir(stack), "batch-job-e2e"), JOB_TYPE)
    replaced = stack.up(replace=[resource["urn"]])
    assert replaced.summary.resource_changes == {"same": 1, "replace": 1}
    assert replaced.outputs["job_id"].value == job_id
    assert batch.get_job(job_id).creation_time == first
    assert set(stack.preview().change_summary) == {"same"}
    stack.destroy()
    with pytest.raises(ResourceNotFoundError):
        batch.get_job(job_id)
