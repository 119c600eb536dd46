"""The YAML and TypeScript quickstarts through the real CLI, their language hosts and the
generated TypeScript SDK, against the real emulator: the same plan-time rule, diff,
waiting for tasks and release semantics as the Python program."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from azure.batch import BatchClient
from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle, serve_files
from tests.support.job_stacks import state_name
from tests.support.pulumi_stack import NO_ACCOUNT_ENV, local_stack, state_texts

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"
LANGUAGE_EXAMPLES = ("yaml-quickstart", "typescript-quickstart")
JOB_TYPE = "azure-batch-jobs:index:BatchJob"

pytestmark = pytest.mark.e2e


def example_stack(name: str, tmp_path: Path, emulator: EmulatorHandle, url: str) -> auto.Stack:
    """A stack of the example whose account is in stack config (the key a secret)."""
    stack = local_stack(
        EXAMPLES / name,
        tmp_path / "pulumi",
        config={
            "scriptsUrl": url,
            "onDelete": "terminate",  # keep the job record: its release status is read after
            "azure-batch-jobs:endpoint": emulator.endpoint,
            "azure-batch-jobs:accountName": emulator.account,
        },
        secrets={"azure-batch-jobs:accountKey": emulator.key},
        extra_env=NO_ACCOUNT_ENV,
    )
    return stack


def job_steps(events: list[auto.EngineEvent]) -> list[auto.StepEventMetadata]:
    return [
        e.resource_pre_event.metadata
        for e in events
        if e.resource_pre_event and e.resource_pre_event.metadata.type == JOB_TYPE
    ]


@pytest.mark.parametrize("name", LANGUAGE_EXAMPLES)
def test_quickstart_in_another_language(
    name: str, tmp_path: Path, emulator: EmulatorHandle, batch: BatchClient
) -> None:
    with serve_files(EXAMPLES / name) as url:
        stack = example_stack(name, tmp_path, emulator, url)

        # A release task over Batch's 15-minute limit: refused at preview, nothing sent.
        stack.set_config("releaseWallClock", auto.ConfigValue("PT20M"))
        emulator.reset_stats()
        with pytest.raises(auto.CommandError) as failure:
            stack.preview()
        message = str(failure.value)
        assert "jobReleaseTask.maxWallClockTime: must be at most 15 minutes" in message
        assert "Traceback" not in message
        assert emulator.stats()["total"] == 0
        stack.set_config("releaseWallClock", auto.ConfigValue("PT5M"))

        up = stack.up()
        assert up.summary.resource_changes == {"create": 2}
        job_id = up.outputs["jobId"].value
        assert job_id.startswith("quickstart-")
        job = batch.get_job(job_id)
        release = job.job_release_task
        assert release is not None and release.command_line == "/bin/sh release.sh"
        assert release.max_wall_clock_time is not None
        assert release.max_wall_clock_time.total_seconds() == 300
        assert [(e.name, e.value) for e in release.environment_settings or []] == [
            ("SCRATCH_NAME", name)
        ]
        assert [(f.http_url, f.file_path) for f in release.resource_files or []] == [
            (f"{url}/release.sh", "release.sh")
        ]
        assert job.job_preparation_task is not None
        tasks = list(batch.list_tasks(job_id))
        assert sorted(str(t.id) for t in tasks) == ["hello-0", "hello-1"]
        # waitForTasks: up returned once both tasks completed, and says how they went.
        assert {state_name(t.state) for t in tasks} == {"completed"}
        assert up.outputs["tasksSucceeded"].value == 2
        created = job.creation_time

        # Priority: an update in place, naming the property.
        stack.set_config("priority", auto.ConfigValue("50"))
        events: list[auto.EngineEvent] = []
        assert stack.preview(on_event=events.append).change_summary == {"same": 1, "update": 1}
        [update] = job_steps(events)
        assert (update.op, update.diffs) == (auto.OpType.UPDATE, ["priority"])
        assert stack.up().summary.resource_changes == {"same": 1, "update": 1}
        job = batch.get_job(job_id)
        assert (job.priority, job.creation_time) == (50, created)

        # The release command: a replace, naming the property.
        stack.set_config("releaseCommand", auto.ConfigValue("/bin/sh -c 'echo v2' "))
        events = []
        assert stack.preview(on_event=events.append).change_summary == {"same": 1, "replace": 1}
        [replace] = [s for s in job_steps(events) if s.op == auto.OpType.REPLACE]
        assert replace.diffs == ["jobReleaseTask"]
        stack.remove_config("releaseCommand")

        # Destroy returns once the release task ran on every node the preparation ran on.
        statuses = list(batch.list_job_preparation_and_release_task_status(job_id))
        prepared = {
            str(s.node_id)
            for s in statuses
            if s.job_preparation_task_execution_info is not None
            and state_name(s.job_preparation_task_execution_info.state) == "completed"
        }
        assert prepared
        assert stack.destroy().summary.resource_changes == {"delete": 2}
        released = {
            str(s.node_id): state_name(s.job_release_task_execution_info.state)
            for s in batch.list_job_preparation_and_release_task_status(job_id)
            if s.job_release_task_execution_info is not None
        }
        assert released == dict.fromkeys(prepared, "completed")
        exit_codes = {
            s.job_release_task_execution_info.exit_code
            for s in batch.list_job_preparation_and_release_task_status(job_id)
            if s.job_release_task_execution_info is not None
        }
        assert exit_codes == {0}, "release.sh was downloaded and ran"

    # The account key, from stack config, is in no state or config file.
    texts = state_texts(tmp_path / "pulumi")
    assert any(JOB_TYPE in text for text in texts)
    assert not [text[:80] for text in texts if emulator.key in text]
    assert json.dumps(emulator.key)[1:-1] not in "".join(texts)


def test_typescript_takes_an_az_job_spec_as_it_is(
    tmp_path: Path, emulator: EmulatorHandle, batch: BatchClient
) -> None:
    name = "typescript-migrate-az-job-spec"
    spec = json.loads((EXAMPLES / name / "job.json").read_text())
    stack = example_stack(name, tmp_path, emulator, url="")
    assert stack.up().outputs["jobId"].value == spec["id"]
    job = batch.get_job(spec["id"]).as_dict()
    for key in ("displayName", "priority", "poolInfo", "commonEnvironmentSettings"):
        assert job[key] == spec[key], key
    release = batch.get_job(spec["id"]).job_release_task
    assert release is not None
    assert (release.id, release.command_line) == (
        "purge-assets",
        "/bin/sh -c 'echo purging assets'",
    )
    assert (release.max_wall_clock_time, release.retention_time) == (
        timedelta(minutes=10),
        timedelta(days=1),
    )
    assert [(e.name, e.value) for e in release.environment_settings or []] == [
        ("PURGE_MODE", "all")
    ]
    assert {"name": "team", "value": "render"} in job["metadata"]
    assert stack.destroy().summary.resource_changes == {"delete": 2}
