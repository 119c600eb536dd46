"""Reading a job back (refresh): declared values take the service's, defaults stay unset,
and the create marker never shows as drift."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from pulumi_azure_batch_jobs.core._stamp import CREATE_MARKER_NAME
from pulumi_azure_batch_jobs.provider import _spec_bridge
from pulumi_azure_batch_jobs.provider._props import BatchJobState

MARKER = {"name": CREATE_MARKER_NAME, "value": "abc"}


def service_job(**overrides: Any) -> dict[str, Any]:
    job: dict[str, Any] = {
        "id": "j",
        "url": "http://x/jobs/j",
        "eTag": "0x1",
        "state": "active",
        "priority": 0,
        "maxParallelTasks": -1,
        "allowTaskPreemption": False,
        "usesTaskDependencies": False,
        "onAllTasksComplete": "noaction",
        "onTaskFailure": "noaction",
        "poolInfo": {"poolId": "p"},
        "jobReleaseTask": {
            "id": "jobrelease",
            "commandLine": "release",
            "maxWallClockTime": "PT15M",
            "retentionTime": "P7D",
        },
        "jobPreparationTask": {"id": "jobpreparation", "commandLine": "prep"},
        "metadata": [MARKER],
    }
    job.update(overrides)
    return job


DECLARED: dict[str, Any] = {
    "job_id": "j",
    "pool_info": {"pool_id": "p"},
    "job_preparation_task": {"command_line": "prep"},
    "job_release_task": {"command_line": "release"},
    "endpoint": "http://x",
}


def merge_observed_spec(props: Mapping[str, Any], job: Mapping[str, Any]) -> dict[str, Any]:
    """The bridge's merge on plain dicts (the job's fields are not keys of the TypedDict)."""
    return dict(_spec_bridge.merge_observed_spec(cast(BatchJobState, dict(props)), job))


def test_an_unchanged_job_reads_back_as_declared() -> None:
    assert merge_observed_spec(DECLARED, service_job()) == DECLARED


def test_declared_metadata_reads_back_without_the_marker() -> None:
    declared = {**DECLARED, "metadata": [{"name": "team", "value": "a"}]}
    job = service_job(metadata=[{"name": "team", "value": "a"}, MARKER])
    assert merge_observed_spec(declared, job) == declared


def test_out_of_band_changes_show_as_drift() -> None:
    job = service_job(priority=7, metadata=[{"name": "added", "value": "x"}, MARKER])
    merged = merge_observed_spec({**DECLARED, "priority": 1}, job)
    assert merged["priority"] == 7
    assert merged["metadata"] == [{"name": "added", "value": "x"}]


def test_an_undeclared_property_changed_from_its_default_shows_as_drift() -> None:
    merged = merge_observed_spec(DECLARED, service_job(maxParallelTasks=3))
    assert merged["max_parallel_tasks"] == 3
    assert "priority" not in merged
