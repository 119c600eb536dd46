"""``BatchJobSchedule`` through the real Pulumi CLI against the emulator: create, plan-time
rules (no request sent), in-place updates that say they apply to later jobs, enable/disable,
refresh (drift, deleted out of band), import, and destroy that leaves no schedule and no
job."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.batch import models as m
from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle
from tests.support.job_stacks import state_name
from tests.support.pulumi_stack import resources_of_type, run_cli, stack_state_dir, state_file
from tests.support.schedule_stacks import (
    SCHEDULE_TYPE,
    all_jobs_from,
    schedule_exists,
    schedule_spec,
    set_schedule,
    wait_until,
)

ScheduleStack = Callable[..., auto.Stack]
PROJECT = "batch-job-schedule-e2e"


def _events_text(events: list[auto.EngineEvent]) -> str:
    return "\n".join(e.diagnostic_event.message for e in events if e.diagnostic_event is not None)


def test_up_creates_the_schedule_whose_job_runs_and_destroy_leaves_nothing(
    schedule_stack: ScheduleStack, batch: BatchClient
) -> None:
    stack = schedule_stack(schedule_spec("sched-life"))
    up = stack.up()
    assert up.outputs["schedule_id"].value == "sched-life"
    assert up.outputs["state"].value == "active"
    found = batch.get_job_schedule("sched-life")
    release = found.job_specification.job_release_task
    assert release is not None and release.command_line == "/bin/sh -c 'echo release'"
    assert found.job_specification.priority == 5
    assert found.schedule is not None and str(found.schedule.recurrence_interval) == "1:00:00"
    # The first job is due at once; it runs its Job Manager and ends (kill on completion).
    job_id = str(wait_until(lambda: _recent_job_id(batch, "sched-life"), "the first job"))
    assert job_id.startswith("sched-life:")

    stack.refresh()
    deployed = resources_of_type(state_file(stack_state_dir(stack), PROJECT), SCHEDULE_TYPE)
    [resource] = deployed
    recent = resource["outputs"]["recentJobs"]
    assert recent and recent[0]["id"] == job_id
    assert resource["outputs"]["recentJobId"] == job_id

    stack.destroy()
    assert not schedule_exists(batch, "sched-life")
    assert all_jobs_from(batch, "sched-life") == []


def _recent_job_id(batch: BatchClient, schedule_id: str) -> str | None:
    info = batch.get_job_schedule(schedule_id).execution_info
    recent = info.recent_job if info is not None else None
    return str(recent.id) if recent is not None and recent.id else None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {
                "job_specification": {
                    "pool_info": {"pool_id": "default"},
                    "job_release_task": {"command_line": "x"},
                }
            },
            "jobSpecification.jobPreparationTask: is required when jobReleaseTask is set",
        ),
        (
            {"schedule": {"recurrence_interval": "PT30S"}},
            "schedule.recurrenceInterval: must be at least 1 minute",
        ),
        (
            {"schedule": {"start_window": "PT10S"}},
            "schedule.startWindow: must be at least 1 minute",
        ),
        (
            {
                "schedule": {
                    "do_not_run_until": "2030-01-02T00:00:00Z",
                    "do_not_run_after": "2030-01-01T00:00:00Z",
                }
            },
            "schedule.doNotRunAfter: must be after doNotRunUntil",
        ),
        (
            {"schedule": {"do_not_run_after": "2020-01-01T00:00:00Z"}},
            "schedule.doNotRunAfter: is in the past (the schedule could never create a job)",
        ),
        (
            {
                "job_specification": {
                    "pool_info": {"pool_id": "default"},
                    "job_preparation_task": {"command_line": "p"},
                    "job_release_task": {"command_line": "r", "max_wall_clock_time": "PT20M"},
                }
            },
            "jobSpecification.jobReleaseTask.maxWallClockTime: must be at most 15 minutes",
        ),
    ],
)
def test_broken_rules_fail_the_preview_before_any_request(
    schedule_stack: ScheduleStack,
    batch: BatchClient,
    emulator: EmulatorHandle,
    change: dict[str, Any],
    message: str,
) -> None:
    stack = schedule_stack(schedule_spec("sched-rules", **change))
    emulator.reset_stats()
    with pytest.raises(auto.CommandError) as failure:
        stack.preview()
    assert message in str(failure.value)
    assert not schedule_exists(batch, "sched-rules")


def test_a_tasks_argument_is_refused_saying_the_job_manager_adds_tasks(
    schedule_stack: ScheduleStack, batch: BatchClient
) -> None:
    spec = schedule_spec("sched-tasks")
    spec["job_specification"]["tasks"] = [{"id": "t0", "command_line": "/bin/true"}]
    with pytest.raises(auto.CommandError) as failure:
        schedule_stack(spec).preview()
    assert "have no initial tasks" in str(failure.value)
    assert "Job Manager Task" in str(failure.value)
    assert not schedule_exists(batch, "sched-tasks")


def test_job_specification_changes_in_place_for_later_jobs_and_enabled_toggles(
    schedule_stack: ScheduleStack, batch: BatchClient
) -> None:
    spec = schedule_spec("sched-update")
    stack = schedule_stack(spec)
    stack.up()
    created = batch.get_job_schedule("sched-update").creation_time

    spec["job_specification"]["priority"] = 50
    spec["schedule"] = {"recurrence_interval": "PT2H"}
    set_schedule(stack, spec)
    events: list[auto.EngineEvent] = []
    preview = stack.preview(on_event=events.append)
    assert preview.change_summary.get(auto.OpType.UPDATE) == 1, preview.change_summary
    assert "replace" not in preview.change_summary
    text = _events_text(events)
    assert "applies to the jobs created from now on" in text, text
    assert "keeps its old specification" in text

    stack.up()
    after = batch.get_job_schedule("sched-update")
    assert after.creation_time == created, "updated in place, not replaced"
    assert after.job_specification.priority == 50
    assert after.schedule is not None and str(after.schedule.recurrence_interval) == "2:00:00"

    assert set(stack.preview().change_summary) == {"same"}

    stack.set_config("settings", auto.ConfigValue(json.dumps({"enabled": False})))
    stack.up()
    assert state_name(batch.get_job_schedule("sched-update").state) == "disabled"
    stack.set_config("settings", auto.ConfigValue("{}"))
    stack.up()
    assert state_name(batch.get_job_schedule("sched-update").state) == "active"
    stack.destroy()
    assert not schedule_exists(batch, "sched-update")


def test_a_changed_id_replaces_the_schedule(
    schedule_stack: ScheduleStack, batch: BatchClient
) -> None:
    stack = schedule_stack(schedule_spec("sched-a"))
    stack.up()
    set_schedule(stack, schedule_spec("sched-b"))
    preview = stack.preview()
    assert preview.change_summary.get(auto.OpType.REPLACE) == 1, preview.change_summary
    stack.up()
    assert not schedule_exists(batch, "sched-a") and schedule_exists(batch, "sched-b")
    stack.destroy()


def test_refresh_shows_drift_and_drops_a_schedule_deleted_out_of_band(
    schedule_stack: ScheduleStack, batch: BatchClient, emulator: EmulatorHandle
) -> None:
    spec = schedule_spec("sched-drift", metadata=[{"name": "team", "value": "render"}])
    stack = schedule_stack(spec)
    stack.up()
    batch.update_job_schedule(
        "sched-drift",
        m.BatchJobScheduleUpdateOptions(metadata=[m.BatchMetadataItem(name="team", value="ops")]),
    )
    stack.refresh()
    preview = stack.preview(diff=True)
    assert preview.change_summary.get(auto.OpType.UPDATE) == 1, preview.change_summary
    stack.up()
    metadata = {m.name: m.value for m in batch.get_job_schedule("sched-drift").metadata or []}
    assert metadata["team"] == "render"
    assert "pulumi-azure-batch-jobs-create-id" in metadata, "the create marker kept"

    batch.begin_delete_job_schedule("sched-drift")
    wait_until(lambda: not schedule_exists(batch, "sched-drift"), "the out-of-band delete")
    stack.refresh()
    state = state_file(stack_state_dir(stack), PROJECT)
    assert resources_of_type(state, SCHEDULE_TYPE) == []


def test_pulumi_import_reads_a_schedule_that_the_declaration_then_matches(
    schedule_stack: ScheduleStack, batch: BatchClient
) -> None:
    batch.create_job_schedule(
        m.BatchJobScheduleCreateOptions(
            {
                "id": "sched-import",
                "schedule": {"recurrenceInterval": "PT1H"},
                "jobSpecification": {
                    "poolInfo": {"poolId": "default"},
                    "priority": 5,
                    "jobManagerTask": {
                        "id": "manager",
                        "commandLine": "/bin/sh -c 'echo manage'",
                    },
                    "jobPreparationTask": {"commandLine": "/bin/sh -c 'echo prep'"},
                    "jobReleaseTask": {
                        "commandLine": "/bin/sh -c 'echo release'",
                        "maxWallClockTime": "PT5M",
                    },
                },
            }
        )
    )
    created = batch.get_job_schedule("sched-import").creation_time
    stack = schedule_stack(schedule_spec("sched-import"))
    imported = run_cli(
        stack, "import", SCHEDULE_TYPE, "nightly", "sched-import", "--yes", "--protect=false",
        "--generate-code=false",
    )  # fmt: skip
    assert imported.returncode == 0, imported.stdout + imported.stderr
    state = state_file(stack_state_dir(stack), PROJECT)
    [resource] = resources_of_type(state, SCHEDULE_TYPE)
    assert resource["id"] == "sched-import"
    release = resource["inputs"]["jobSpecification"]["jobReleaseTask"]
    assert release["commandLine"] == "/bin/sh -c 'echo release'"
    preview = stack.preview(diff=True)
    assert set(preview.change_summary) == {"same"}, preview.stdout
    stack.up()
    assert batch.get_job_schedule("sched-import").creation_time == created
    stack.destroy()
    assert not schedule_exists(batch, "sched-import")
    assert all_jobs_from(batch, "sched-import") == []


def test_importing_a_schedule_that_does_not_exist_fails_clearly(
    schedule_stack: ScheduleStack,
) -> None:
    stack = schedule_stack(schedule_spec("sched-missing"))
    failed = run_cli(
        stack, "import", SCHEDULE_TYPE, "nightly", "no-such", "--yes", "--generate-code=false"
    )
    assert failed.returncode != 0
    expected = "importing job schedule 'no-such' failed: no such job schedule in the account"
    assert expected in failed.stdout
    assert "Traceback" not in failed.stdout + failed.stderr


def test_destroy_ends_the_running_job_and_returns_after_its_release_tasks(
    schedule_stack: ScheduleStack, batch: BatchClient, tmp_path: Path
) -> None:
    markers = tmp_path / "released"
    markers.mkdir()
    release = f"sleep 1; echo $AZ_BATCH_JOB_ID > {markers}/$AZ_BATCH_NODE_ID"
    spec = schedule_spec("sched-running")
    spec["job_specification"]["job_manager_task"]["command_line"] = "/bin/sh -c 'sleep 120'"
    spec["job_specification"]["job_release_task"]["command_line"] = f"/bin/sh -c '{release}'"
    stack = schedule_stack(spec)
    stack.up()
    job_id = str(wait_until(lambda: _recent_job_id(batch, "sched-running"), "the first job"))
    wait_until(
        lambda: [t for t in batch.list_tasks(job_id) if t.state == "running"],
        "the Job Manager running",
    )
    prepared = {
        str(s.node_id)
        for s in batch.list_job_preparation_and_release_task_status(job_id)
        if s.job_preparation_task_execution_info is not None
    }
    assert prepared and list(markers.iterdir()) == []

    stack.destroy()
    # Each release task sleeps 1 s before writing: destroy waited for them.
    assert {p.name for p in markers.iterdir()} == prepared
    assert all(p.read_text().strip() == job_id for p in markers.iterdir())
    assert not schedule_exists(batch, "sched-running")
    assert all_jobs_from(batch, "sched-running") == []
