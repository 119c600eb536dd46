"""The plugin reports broken rules as every language's SDK names the properties."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pulumi_azure_batch_jobs.provider._schema import package_schema
from pulumi_azure_batch_jobs.provider._tokens import RESOURCE, SCHEDULE_RESOURCE
from pulumi_azure_batch_jobs.provider._wire import SCHEDULE, wire_error, wire_path
from pulumi_azure_batch_jobs.validation._errors import ValidationError

SCHEMA = package_schema("0.0.0-test")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("job_release_task.max_wall_clock_time", "jobReleaseTask.maxWallClockTime"),
        ("tasks[2].command_line", "tasks[2].commandLine"),
        ("job_manager_task.resource_files[1].http_url", "jobManagerTask.resourceFiles[1].httpUrl"),
        ("common_environment_settings[0].name", "commonEnvironmentSettings[0].name"),
        ("job_id", "jobId"),
        ("id", "jobId"),
        ("on_delete", "onDelete"),
        ("", ""),
    ],
)
def test_paths_are_the_schemas(path: str, expected: str) -> None:
    assert wire_path(path) == expected


def test_every_top_level_path_is_a_schema_property() -> None:
    resource = SCHEMA["resources"][RESOURCE]
    for attr in ("job_release_task", "tasks", "job_id", "on_delete", "delete_timeout_seconds"):
        assert wire_path(attr) in resource["inputProperties"], attr


def test_nested_paths_follow_the_schemas_types() -> None:
    release = SCHEMA["types"]["azure-batch-jobs:index:JobReleaseTask"]["properties"]
    assert wire_path("job_release_task.retention_time").split(".")[1] in release


def test_a_rule_names_properties_and_durations_as_programs_write_them() -> None:
    error = ValidationError(
        "job_release_task.max_wall_clock_time", "must be at most 15 minutes", timedelta(minutes=20)
    )
    assert str(wire_error(error)) == (
        "jobReleaseTask.maxWallClockTime: must be at most 15 minutes (got 'PT20M00S')"
    )
    needs = ValidationError("job_preparation_task", "is required when job_release_task is set")
    assert str(wire_error(needs)) == (
        "jobPreparationTask: is required when jobReleaseTask is set (got nothing)"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "job_specification.job_release_task.max_wall_clock_time",
            "jobSpecification.jobReleaseTask.maxWallClockTime",
        ),
        ("schedule.recurrence_interval", "schedule.recurrenceInterval"),
        ("job_specification.pool_info.pool_id", "jobSpecification.poolInfo.poolId"),
        ("id", "scheduleId"),
        ("schedule_id", "scheduleId"),
        ("delete_timeout_seconds", "deleteTimeoutSeconds"),
    ],
)
def test_schedule_paths_are_the_schemas(path: str, expected: str) -> None:
    assert SCHEDULE.wire_path(path) == expected
    top = expected.split(".")[0]
    assert top in SCHEMA["resources"][SCHEDULE_RESOURCE]["inputProperties"]


def test_a_schedule_rule_names_its_job_specification_as_programs_write_it() -> None:
    error = ValidationError(
        "job_specification.job_preparation_task", "is required when job_release_task is set"
    )
    assert str(SCHEDULE.wire_error(error)) == (
        "jobSpecification.jobPreparationTask: is required when jobReleaseTask is set (got nothing)"
    )
