"""``BatchJobSchedule``'s arguments and plan-time rules, its diff table and the provider's
check: the job's rules inside ``job_specification``, the schedule's own rules (with "now"
only for a new or changed ``do_not_run_after``), ``tasks`` refused with the reason, and
in-place updates for the schedule, the job specification and the metadata."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pulumi_azure_batch_jobs import (
    BatchJobArgs,
    BatchJobSchedule,
    BatchJobScheduleArgs,
    JobPreparationTask,
    JobReleaseTask,
    JobSpecification,
    PoolInformation,
    Schedule,
    UnknownArgumentError,
    ValidationError,
    validate_job_schedule,
)
from pulumi_azure_batch_jobs.provider._schedule_provider import BatchJobSchedulesProvider
from pulumi_azure_batch_jobs.provider._server import BatchJobsServicer
from pulumi_azure_batch_jobs.provider._wire import SCHEDULE

URN = "urn:pulumi:dev::proj::azure-batch-jobs:index:BatchJobSchedule::nightly"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _spec(**schedule: Any) -> dict[str, Any]:
    return {
        "id": "nightly",
        "schedule": {"recurrence_interval": "PT1H", **schedule},
        "job_specification": {"pool_info": {"pool_id": "p"}},
    }


def _paths(errors: list[ValidationError]) -> list[str]:
    return [e.path for e in errors]


def test_the_job_specification_declares_the_jobs_fields_once() -> None:
    own = [f.attr for f in BatchJobArgs.fields() if f.attr not in ("id", "tasks")]
    assert [f.attr for f in JobSpecification.fields()] == own
    assert JobSpecification.rest_key("on_all_tasks_complete") == "onAllTasksComplete"


def test_typed_arguments_serialize_to_the_create_request() -> None:
    args = BatchJobScheduleArgs(
        id="nightly",
        schedule=Schedule(
            do_not_run_until=datetime(2026, 1, 1, 2, tzinfo=UTC),
            recurrence_interval=timedelta(days=1),
        ),
        job_specification=JobSpecification(
            pool_info=PoolInformation(pool_id="p"),
            job_preparation_task=JobPreparationTask(command_line="prep"),
            job_release_task=JobReleaseTask(command_line="release"),
        ),
    )
    assert args.validate() == []
    body = args.serialize()
    assert body["schedule"] == {
        "doNotRunUntil": "2026-01-01T02:00:00Z",
        "recurrenceInterval": "P1D",
    }
    assert body["jobSpecification"]["jobReleaseTask"] == {"commandLine": "release"}
    assert BatchJobScheduleArgs.deserialize(body) == args


def test_the_jobs_rules_apply_inside_the_job_specification() -> None:
    spec = _spec()
    spec["job_specification"]["job_release_task"] = {
        "command_line": "r",
        "max_wall_clock_time": "PT20M",
    }
    errors = validate_job_schedule(spec)
    assert _paths(errors) == [
        "job_specification.job_release_task.max_wall_clock_time",
        "job_specification.job_preparation_task",
    ]
    assert SCHEDULE.wire_path(errors[0].path) == "jobSpecification.jobReleaseTask.maxWallClockTime"


@pytest.mark.parametrize(
    ("schedule", "path", "message"),
    [
        ({"recurrence_interval": "PT59S"}, "schedule.recurrence_interval", "at least 1 minute"),
        ({"start_window": timedelta(seconds=30)}, "schedule.start_window", "at least 1 minute"),
        ({"start_window": "PT0S"}, "schedule.start_window", "positive"),
        ({"do_not_run_until": "tomorrow"}, "schedule.do_not_run_until", "date-time"),
        (
            {"do_not_run_until": "2027-01-02T00:00:00Z", "do_not_run_after": "2027-01-01"},
            "schedule.do_not_run_after",
            "after do_not_run_until",
        ),
        ({"do_not_run_after": "2026-05-31T00:00:00Z"}, "schedule.do_not_run_after", "in the past"),
    ],
)
def test_schedule_rules(schedule: dict[str, Any], path: str, message: str) -> None:
    errors = validate_job_schedule(_spec(**schedule), now=NOW)
    assert [(e.path, message in e.message) for e in errors] == [(path, True)]


def test_a_past_do_not_run_after_is_an_error_only_against_now() -> None:
    assert validate_job_schedule(_spec(do_not_run_after="2020-01-01T00:00:00Z")) == []


def test_required_elements_and_the_auto_pool_may_live_for_the_schedule() -> None:
    assert _paths(validate_job_schedule({"id": "s"})) == ["schedule", "job_specification"]
    spec = _spec()
    spec["job_specification"]["pool_info"] = {
        "auto_pool_specification": {"pool_lifetime_option": "jobschedule"}
    }
    assert validate_job_schedule(spec) == []


def test_tasks_are_refused_with_the_reason() -> None:
    with pytest.raises(UnknownArgumentError, match="have no initial tasks"):
        JobSpecification(pool_info=PoolInformation(pool_id="p"), tasks=[])  # type: ignore[call-arg]
    spec: Any = {"pool_info": {"pool_id": "p"}, "tasks": []}
    with pytest.raises(UnknownArgumentError, match="Job Manager Task"):
        BatchJobSchedule("s", schedule={}, job_specification=spec)
    refused = (
        BatchJobsServicer(None)
        ._kinds["azure-batch-jobs:index:BatchJobSchedule"]
        .refused({"jobSpecification": {"tasks": []}})
    )
    assert refused and refused[0].startswith("jobSpecification.tasks: ")


def _checked(news: dict[str, Any], olds: dict[str, Any] | None = None) -> tuple[Any, list[str]]:
    provider = BatchJobSchedulesProvider()
    provider.configure({"endpoint": "http://127.0.0.1:1", "accountName": "a", "accountKey": "k"})
    return provider.check(URN, olds or {}, news)  # type: ignore[arg-type]


def test_check_generates_a_stable_id_and_writes_durations_as_the_service_does() -> None:
    news = {k: v for k, v in _spec().items() if k != "id"}
    inputs, failures = _checked(news)
    assert failures == []
    assert inputs["schedule_id"].startswith("nightly-") and inputs["schedule_id_generated"]
    assert _checked(news)[0]["schedule_id"] == inputs["schedule_id"]
    assert inputs["schedule"]["recurrence_interval"] == "PT01H00M00S"


def test_check_flags_a_past_do_not_run_after_only_when_new_or_changed() -> None:
    news = {**_spec(do_not_run_after="2020-01-01T00:00:00Z")}
    news["schedule_id"] = news.pop("id")
    _, failures = _checked(news)
    assert failures and failures[0].startswith("schedule.doNotRunAfter: is in the past")
    olds, _ = _checked({**news, "schedule": {"recurrence_interval": "PT1H"}})
    olds["schedule"]["do_not_run_after"] = "2020-01-01T00:00:00Z"
    assert _checked(news, olds)[1] == []


def _diff(olds: Any, **changes: Any) -> tuple[Any, bool]:
    news: Any = {**olds, **changes}
    return BatchJobSchedulesProvider.diff(olds, news)


def test_the_diff_updates_in_place_except_the_id_and_display_name() -> None:
    olds, _ = _checked({**_spec(), "schedule_id": "s"})
    plan, _ = _diff(olds, schedule={"recurrence_interval": "PT2H"})
    assert (plan.patches, plan.replaces) == (["schedule"], [])
    plan, _ = _diff(olds, job_specification={**olds["job_specification"], "priority": 3})
    assert plan.patches == ["job_specification"]
    running: Any = {**olds, "recent_job_id": "s:job-4", "state": "active"}
    note = BatchJobSchedulesProvider.diff_note(running, plan)
    assert note is not None and "jobs created from now on" in note and "s:job-4" in note
    plan, _ = _diff(olds, enabled=False)
    assert plan.toggles == ["enabled"] and not plan.patches
    assert not _diff(olds, enabled=True)[0].changed
    plan, delete_first = _diff(olds, schedule_id="t")
    assert plan.replaces == ["schedule_id"] and delete_first
    assert _diff(olds, display_name="x")[0].replaces == ["display_name"]
    assert not _diff(olds, next_run_time="later", recent_jobs=[{"id": "s:job-5"}])[0].changed
