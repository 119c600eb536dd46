"""Job schedules through the real azure-batch 15 SDK: every verb, conditions, the errors
Batch answers and the state machine (the instant engine; recurrence on the clock is in
test_job_schedule_recurrence)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core import MatchConditions
from azure.core.exceptions import (
    HttpResponseError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
)

from tests.support.sdk_fields import job_exec_info, present, rest_response

NewId = Callable[[str], str]
#: A first run this far ahead: the schedule creates no job during a test.
LATER: dict[str, Any] = {"do_not_run_until": datetime(2099, 1, 1, tzinfo=UTC)}


def _on_default(**spec: Any) -> m.BatchJobSpecification:
    return m.BatchJobSpecification(pool_info=m.BatchPoolInfo(pool_id="default"), **spec)


def _schedule(
    schedule_id: str, timing: dict[str, Any] | None = None, **spec: Any
) -> m.BatchJobScheduleCreateOptions:
    return m.BatchJobScheduleCreateOptions(
        id=schedule_id,
        schedule=m.BatchJobScheduleConfiguration(**(LATER if timing is None else timing)),
        job_specification=_on_default(**spec),
    )


def _code(error: HttpResponseError) -> tuple[int, str]:
    response = rest_response(error)
    return response.status_code, str(response.json()["code"])


def test_create_get_select_exists_list_filter_and_paging(
    client: BatchClient, new_id: NewId
) -> None:
    prefix = new_id("list")
    ids = [f"{prefix}-{i}" for i in range(3)]
    for schedule_id in ids:
        client.create_job_schedule(_schedule(schedule_id, display_name=schedule_id))
    got = client.get_job_schedule(ids[0])
    assert got.state == m.BatchJobScheduleState.ACTIVE
    assert got.url is not None and got.url.endswith(f"/jobschedules/{ids[0]}")
    assert present(got.execution_info).next_run_time is not None
    assert present(got.job_specification).priority == 0
    selected = client.get_job_schedule(ids[0], select=["id", "state"])
    assert selected.id == ids[0] and selected.job_specification is None
    assert client.job_schedule_exists(ids[1]) is True
    with pytest.raises(ResourceNotFoundError) as missing:
        client.get_job_schedule(f"{prefix}-none")
    assert _code(missing.value) == (404, "JobScheduleNotFound")
    listed = client.list_job_schedules(filter=f"startswith(id,'{prefix}')", max_results=2)
    assert sorted(s.id for s in listed) == ids
    with pytest.raises(ResourceExistsError) as twice:
        client.create_job_schedule(_schedule(ids[0]))
    assert _code(twice.value) == (409, "JobScheduleExists")


def test_stats_are_the_sums_over_its_jobs(client: BatchClient, new_id: NewId) -> None:
    schedule_id = new_id("stats")
    client.create_job_schedule(_schedule(schedule_id, timing={}))
    job_id = f"{schedule_id}:job-1"
    client.create_task(job_id, m.BatchTaskCreateOptions(id="t1", command_line="/bin/true"))
    client.create_task(job_id, m.BatchTaskCreateOptions(id="t2", command_line="/bin/true"))
    stats = present(client.get_job_schedule(schedule_id, expand=["stats"]).job_schedule_statistics)
    assert stats.succeeded_tasks_count == 2 and stats.failed_tasks_count == 0


def test_if_match_and_if_none_match(client: BatchClient, new_id: NewId) -> None:
    schedule_id = new_id("etag")
    client.create_job_schedule(_schedule(schedule_id))
    etag = client.get_job_schedule(schedule_id).etag
    client.update_job_schedule(
        schedule_id,
        m.BatchJobScheduleUpdateOptions(metadata=[m.BatchMetadataItem(name="a", value="1")]),
        etag=etag,
        match_condition=MatchConditions.IfNotModified,
    )
    with pytest.raises(ResourceModifiedError) as stale:
        client.disable_job_schedule(
            schedule_id, etag=etag, match_condition=MatchConditions.IfNotModified
        )
    assert _code(stale.value) == (412, "ConditionNotMet")
    current = client.get_job_schedule(schedule_id)
    assert current.etag != etag and current.state == m.BatchJobScheduleState.ACTIVE
    with pytest.raises(HttpResponseError) as unchanged:
        client.get_job_schedule(
            schedule_id, etag=current.etag, match_condition=MatchConditions.IfModified
        )
    assert present(unchanged.value.response).status_code == 304
    assert client.job_schedule_exists(
        schedule_id, etag=current.etag, match_condition=MatchConditions.IfNotModified
    )


def test_patch_keeps_what_it_does_not_name_and_put_replaces_everything(
    client: BatchClient, new_id: NewId
) -> None:
    schedule_id = new_id("upd")
    client.create_job_schedule(
        m.BatchJobScheduleCreateOptions(
            id=schedule_id,
            schedule=m.BatchJobScheduleConfiguration(
                recurrence_interval=timedelta(hours=1), **LATER
            ),
            job_specification=_on_default(priority=5),
            metadata=[m.BatchMetadataItem(name="keep", value="me")],
        )
    )
    client.update_job_schedule(
        schedule_id,
        m.BatchJobScheduleUpdateOptions(job_specification=_on_default(priority=7)),
    )
    patched = client.get_job_schedule(schedule_id)
    assert present(patched.job_specification).priority == 7
    assert present(patched.schedule).recurrence_interval == timedelta(hours=1)
    assert [(i.name, i.value) for i in present(patched.metadata)] == [("keep", "me")]
    assert present(patched.execution_info).recent_job is None
    client.replace_job_schedule(
        schedule_id,
        m.BatchJobSchedule(job_specification=_on_default(priority=9)),
    )
    replaced = client.get_job_schedule(schedule_id)
    assert replaced.metadata is None
    assert present(replaced.schedule).recurrence_interval is None
    # No schedule any more: one job, at once, with the new specification.
    recent = present(present(replaced.execution_info).recent_job)
    assert recent.id == f"{schedule_id}:job-1"
    assert client.get_job(f"{schedule_id}:job-1").priority == 9


def test_state_machine_and_its_errors(client: BatchClient, new_id: NewId) -> None:
    schedule_id = new_id("states")
    client.create_job_schedule(_schedule(schedule_id))
    client.disable_job_schedule(schedule_id)
    disabled = client.get_job_schedule(schedule_id)
    assert disabled.state == m.BatchJobScheduleState.DISABLED
    assert disabled.previous_state == m.BatchJobScheduleState.ACTIVE
    client.enable_job_schedule(schedule_id)
    assert client.get_job_schedule(schedule_id).state == m.BatchJobScheduleState.ACTIVE
    client.begin_terminate_job_schedule(schedule_id, polling_interval=0).result()
    done = client.get_job_schedule(schedule_id)
    assert done.state == m.BatchJobScheduleState.COMPLETED
    assert present(done.execution_info).end_time is not None
    assert present(done.execution_info).next_run_time is None
    for verb in (client.enable_job_schedule, client.disable_job_schedule):
        with pytest.raises(HttpResponseError) as refused:
            verb(schedule_id)
        assert _code(refused.value) == (409, "JobScheduleCompleted")
    with pytest.raises(HttpResponseError) as refused:
        client.update_job_schedule(schedule_id, m.BatchJobScheduleUpdateOptions(metadata=[]))
    assert _code(refused.value) == (409, "JobScheduleCompleted")
    client.begin_delete_job_schedule(schedule_id, polling_interval=0).result()
    with pytest.raises(ResourceNotFoundError):
        client.job_schedule_exists(schedule_id)


def test_rules_are_batch_errors(client: BatchClient, new_id: NewId) -> None:
    for timing in ({"recurrence_interval": timedelta(seconds=30)}, {"start_window": "PT10S"}):
        with pytest.raises(HttpResponseError) as short:
            client.create_job_schedule(_schedule(new_id("rule"), timing=timing))
        assert _code(short.value) == (400, "InvalidPropertyValue")
    with pytest.raises(HttpResponseError) as bad_id:
        client.create_job_schedule(_schedule("has:colon"))
    assert _code(bad_id.value) == (400, "InvalidPropertyValue")


def test_its_jobs_carry_the_job_specification(client: BatchClient, new_id: NewId) -> None:
    schedule_id = new_id("spec")
    client.create_job_schedule(
        _schedule(
            schedule_id,
            timing={},
            job_preparation_task=m.BatchJobPreparationTask(command_line="/bin/true"),
            job_release_task=m.BatchJobReleaseTask(command_line="/bin/true"),
            constraints=m.BatchJobConstraints(max_task_retry_count=2),
            metadata=[m.BatchMetadataItem(name="from", value="schedule")],
            display_name="nightly",
        )
    )
    [job] = client.list_jobs_from_schedule(schedule_id)
    assert job.id == f"{schedule_id}:job-1"
    assert job.display_name == "nightly"
    assert present(job.job_release_task).id == "jobrelease"
    assert present(job.job_preparation_task).id == "jobpreparation"
    assert present(job.constraints).max_task_retry_count == 2
    assert [(i.name, i.value) for i in present(job.metadata)] == [("from", "schedule")]
    assert job_exec_info(job).pool_id == "default"
    assert job.id in {j.id for j in client.list_jobs()}
    with pytest.raises(ResourceNotFoundError) as missing:
        list(client.list_jobs_from_schedule(f"{schedule_id}-none"))
    assert _code(missing.value) == (404, "JobScheduleNotFound")


def test_terminate_ends_the_active_job_then_completes(client: BatchClient, new_id: NewId) -> None:
    schedule_id = new_id("term")
    client.create_job_schedule(_schedule(schedule_id, timing={}))
    job_id = f"{schedule_id}:job-1"
    assert client.get_job(job_id).state == m.BatchJobState.ACTIVE
    client.begin_terminate_job_schedule(schedule_id, polling_interval=0).result()
    job = client.get_job(job_id)
    assert job.state == m.BatchJobState.COMPLETED
    assert job_exec_info(job).termination_reason == "TerminateJobSchedule"
    assert client.get_job_schedule(schedule_id).state == m.BatchJobScheduleState.COMPLETED


def test_delete_removes_the_schedule_and_its_jobs(client: BatchClient, new_id: NewId) -> None:
    schedule_id = new_id("del")
    client.create_job_schedule(_schedule(schedule_id, timing={}))
    job_id = f"{schedule_id}:job-1"
    client.begin_delete_job_schedule(schedule_id, polling_interval=0).result()
    with pytest.raises(ResourceNotFoundError) as gone:
        client.get_job_schedule(schedule_id)
    assert _code(gone.value) == (404, "JobScheduleNotFound")
    with pytest.raises(ResourceNotFoundError):
        client.get_job(job_id)


def test_a_job_of_an_active_schedule_may_be_deleted(client: BatchClient, new_id: NewId) -> None:
    schedule_id = new_id("deljob")
    client.create_job_schedule(
        _schedule(schedule_id, timing={"recurrence_interval": timedelta(hours=1)})
    )
    client.begin_delete_job(f"{schedule_id}:job-1", polling_interval=0).result()
    assert list(client.list_jobs_from_schedule(schedule_id)) == []
    schedule = client.get_job_schedule(schedule_id)
    assert schedule.state == m.BatchJobScheduleState.ACTIVE
    assert present(schedule.execution_info).next_run_time is not None
