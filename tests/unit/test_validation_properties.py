"""Property tests: valid arguments validate clean and round-trip; broken ones are caught."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.runtime.rpc import UNKNOWN

import pulumi_azure_batch_jobs as pab
from pulumi_azure_batch_jobs.args._job import job_create_requests
from tests.support.broken_jobs import broken_jobs
from tests.support.job_args import jobs, release_tasks, to_json_value

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(release_tasks())
def test_valid_release_tasks_validate_clean_and_round_trip(data: dict[str, Any]) -> None:
    task = pab.JobReleaseTask.from_dict(data)
    assert task.validate() == []
    rest = task.serialize()
    again = pab.JobReleaseTask.deserialize(rest)
    assert again == task
    assert again.serialize() == rest
    assert pab.JobReleaseTask.from_dict(task.as_dict()) == task
    assert pab.JobReleaseTask(**data) == task


@SETTINGS
@given(jobs())
def test_valid_jobs_validate_clean_and_round_trip(data: dict[str, Any]) -> None:
    assert pab.validate_job(data) == []
    args = pab.BatchJobArgs.from_dict(data)
    assert args.validate() == []
    assert pab.validate_job(to_json_value(data)) == []
    assert pab.BatchJobArgs.deserialize(args.serialize()).serialize() == args.serialize()
    assert pab.BatchJobArgs.from_dict(args.as_dict()) == args
    assert pab.job_args_from_spec(pab.job_spec_from_args(args)).serialize() == args.serialize()
    body, tasks = job_create_requests(args)
    assert body == args.serialize()
    assert [pab.BatchTaskArgs.deserialize(t).serialize() for t in tasks] == tasks


def _replace_leaves(value: Any, draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return UNKNOWN
    if isinstance(value, dict):
        return {k: _replace_leaves(v, draw) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_leaves(v, draw) for v in value]
    return value


@st.composite
def jobs_with_unknowns(draw: st.DrawFn) -> dict[str, Any]:
    job = draw(jobs())
    return {k: _replace_leaves(v, draw) for k, v in job.items()}


@SETTINGS
@given(jobs_with_unknowns())
def test_unknown_values_are_never_reported(data: dict[str, Any]) -> None:
    assert pab.validate_job(data) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_jobs())
def test_broken_jobs_are_caught_at_the_right_path(case: tuple[dict[str, Any], str, str]) -> None:
    job, path, name = case
    errors = pab.validate_job(job)
    assert path in [e.path for e in errors], (name, errors)
    assert path in [e.path for e in pab.BatchJobArgs.from_dict(job).validate()]
    for error in errors:
        assert str(error).startswith(f"{error.path}: ") and "(got " in str(error)
