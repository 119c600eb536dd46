"""Jobs through the real azure-batch SDK: every verb and the errors Batch answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError

from batch_emulator.testing import EmulatorHandle
from tests.support.sdk_fields import job_exec_info, prep_info, release_info, rest_response

NewId = Callable[[str], str]


def _job(job_id: str, pool_id: str = "default", **kwargs: Any) -> m.BatchJobCreateOptions:
    return m.BatchJobCreateOptions(id=job_id, pool_info=m.BatchPoolInfo(pool_id=pool_id), **kwargs)


def _with_release(job_id: str, **release: Any) -> m.BatchJobCreateOptions:
    return _job(
        job_id,
        job_preparation_task=m.BatchJobPreparationTask(command_line="/bin/sh -c 'echo prep'"),
        job_release_task=m.BatchJobReleaseTask(command_line="/bin/sh -c 'echo release'", **release),
    )


def _error(exc: pytest.ExceptionInfo[HttpResponseError]) -> tuple[int, str, dict[str, str]]:
    response = rest_response(exc.value)
    body = response.json()
    values = {v["key"]: v["value"] for v in body.get("values", [])}
    return response.status_code, body["code"], values


def test_create_get_list_and_defaults(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(_with_release(job_id))
    job = client.get_job(job_id)
    assert job.id == job_id
    assert job.state == m.BatchJobState.ACTIVE
    assert job.priority == 0
    assert job.max_parallel_tasks == -1
    assert job.all_tasks_complete_mode == m.BatchAllTasksCompleteMode.NO_ACTION
    assert job.job_release_task is not None
    assert job.job_release_task.id == "jobrelease"
    assert job.job_release_task.max_wall_clock_time is not None
    assert job.job_release_task.max_wall_clock_time.total_seconds() == 900
    assert job.job_preparation_task is not None
    assert job.job_preparation_task.id == "jobpreparation"
    assert job.url is not None and job.url.endswith(f"/jobs/{job_id}")
    assert job_id in [j.id for j in client.list_jobs()]


def test_ids_are_case_insensitive(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("MixedCase")
    client.create_job(_job(job_id))
    assert client.get_job(job_id.upper()).id == job_id
    with pytest.raises(ResourceExistsError) as exc:
        client.create_job(_job(job_id.lower()))
    assert _error(exc)[:2] == (409, "JobExists")


def test_job_not_found(client: BatchClient) -> None:
    with pytest.raises(ResourceNotFoundError) as exc:
        client.get_job("no-such-job")
    assert _error(exc)[:2] == (404, "JobNotFound")


def test_release_without_preparation_is_rejected(client: BatchClient, new_id: NewId) -> None:
    job = _job(new_id("job"), job_release_task=m.BatchJobReleaseTask(command_line="echo r"))
    with pytest.raises(HttpResponseError) as exc:
        client.create_job(job)
    status, code, values = _error(exc)
    assert (status, code) == (400, "InvalidPropertyValue")
    assert values["PropertyName"] == "jobPreparationTask"


def test_release_wall_clock_over_15_minutes_is_rejected(client: BatchClient, new_id: NewId) -> None:
    from datetime import timedelta

    job = _with_release(new_id("job"), max_wall_clock_time=timedelta(minutes=16))
    with pytest.raises(HttpResponseError) as exc:
        client.create_job(job)
    status, code, values = _error(exc)
    assert (status, code) == (400, "InvalidPropertyValue")
    assert values["PropertyName"] == "jobReleaseTask.maxWallClockTime"


def test_release_wall_clock_of_15_minutes_is_accepted(client: BatchClient, new_id: NewId) -> None:
    from datetime import timedelta

    job_id = new_id("job")
    client.create_job(_with_release(job_id, max_wall_clock_time=timedelta(minutes=15)))
    assert client.get_job(job_id).state == m.BatchJobState.ACTIVE


def test_missing_and_invalid_properties_name_the_property(
    client: BatchClient, new_id: NewId
) -> None:
    with pytest.raises(HttpResponseError) as exc:
        client.create_job({"id": new_id("job")})  # type: ignore[arg-type]
    assert _error(exc) == (400, "MissingRequiredProperty", {"PropertyName": "poolInfo"})
    with pytest.raises(HttpResponseError) as exc:
        client.create_job(_job(new_id("job"), priority=5000))
    status, code, values = _error(exc)
    assert (status, code, values["PropertyName"]) == (400, "InvalidPropertyValue", "priority")
    with pytest.raises(HttpResponseError) as exc:
        client.create_job(_job("bad id!"))
    assert _error(exc)[2]["PropertyName"] == "id"


def test_update_patch_and_replace_put(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(_job(job_id, priority=10, max_parallel_tasks=4))
    before = client.get_job(job_id)
    client.update_job(job_id, m.BatchJobUpdateOptions(priority=100))
    patched = client.get_job(job_id)
    assert patched.priority == 100
    assert patched.max_parallel_tasks == 4  # PATCH keeps what it does not name
    assert patched.etag != before.etag
    client.replace_job(
        job_id, m.BatchJob(pool_info=m.BatchPoolInfo(pool_id="default"), priority=-5)
    )
    replaced = client.get_job(job_id)
    assert replaced.priority == -5
    assert replaced.max_parallel_tasks == -1  # PUT resets what it does not name


def test_pool_change_needs_a_disabled_job(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(_job(job_id))
    other = m.BatchJobUpdateOptions(pool_info=m.BatchPoolInfo(pool_id="elsewhere"))
    with pytest.raises(HttpResponseError) as exc:
        client.update_job(job_id, other)
    assert _error(exc)[:2] == (409, "OperationInvalidForCurrentState")
    client.begin_disable_job(
        job_id, m.BatchJobDisableOptions(disable_tasks=m.DisableBatchJobOption.REQUEUE)
    ).result()
    assert client.get_job(job_id).state == m.BatchJobState.DISABLED
    client.update_job(job_id, other)
    client.begin_enable_job(job_id).result()
    job = client.get_job(job_id)
    assert job.state == m.BatchJobState.ACTIVE
    assert job.pool_info.pool_id == "elsewhere"
    assert job.previous_state == m.BatchJobState.ENABLING


def test_terminate_runs_release_and_completes(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(_with_release(job_id))
    client.create_task(job_id, m.BatchTaskCreateOptions(id="t1", command_line="echo 1"))
    statuses = list(client.list_job_preparation_and_release_task_status(job_id))
    assert len(statuses) == 1
    assert prep_info(statuses[0]).state == "completed"
    assert statuses[0].job_release_task_execution_info is None
    client.begin_terminate_job(
        job_id, m._models.BatchJobTerminateOptions(termination_reason="Done")
    ).result()
    job = client.get_job(job_id)
    assert job.state == m.BatchJobState.COMPLETED
    assert job_exec_info(job).termination_reason == "Done"
    released = list(client.list_job_preparation_and_release_task_status(job_id))
    assert release_info(released[0]).state == "completed"
    assert release_info(released[0]).exit_code == 0
    with pytest.raises(HttpResponseError) as exc:
        client.begin_terminate_job(
            job_id, m._models.BatchJobTerminateOptions(termination_reason="again")
        ).result()
    assert _error(exc)[:2] == (409, "JobCompleted")


def test_delete_job(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(_with_release(job_id))
    client.begin_delete_job(job_id).result()
    with pytest.raises(ResourceNotFoundError):
        client.get_job(job_id)
    with pytest.raises(ResourceNotFoundError) as exc:
        client.begin_delete_job(job_id).result()
    assert _error(exc)[:2] == (404, "JobNotFound")


def test_disable_twice_and_enable_active(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(_job(job_id))
    with pytest.raises(HttpResponseError) as exc:
        client.begin_enable_job(job_id).result()
    assert _error(exc)[0] == 409
    options = m.BatchJobDisableOptions(disable_tasks=m.DisableBatchJobOption.WAIT)
    client.begin_disable_job(job_id, options).result()
    with pytest.raises(HttpResponseError) as exc:
        client.begin_disable_job(job_id, options).result()
    assert _error(exc)[0] == 409


def test_task_counts(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(_job(job_id))
    tasks = [m.BatchTaskCreateOptions(id=f"t{i}", command_line="echo") for i in range(7)]
    client.create_task_collection(job_id, m.BatchTaskGroup(task_values=tasks))
    counts = client.get_job_task_counts(job_id)
    assert counts.task_counts.completed == 7
    assert counts.task_counts.succeeded == 7
    assert counts.task_counts.active == 0
    assert counts.task_slot_counts.completed == 7


def test_tasks_wait_without_nodes(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(_job(job_id, pool_id="no-such-pool"))
    client.create_task(job_id, m.BatchTaskCreateOptions(id="waits", command_line="echo"))
    assert client.get_task(job_id, "waits").state == m.BatchTaskState.ACTIVE
    assert client.get_job_task_counts(job_id).task_counts.active == 1


def test_all_tasks_complete_terminates_job(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(_job(job_id))
    client.create_task(job_id, m.BatchTaskCreateOptions(id="only", command_line="echo"))
    client.update_job(
        job_id,
        m.BatchJobUpdateOptions(all_tasks_complete_mode=m.BatchAllTasksCompleteMode.TERMINATE_JOB),
    )
    job = client.get_job(job_id)
    assert job.state == m.BatchJobState.COMPLETED
    assert job_exec_info(job).termination_reason == "AllTasksComplete"


def test_job_manager_completion_terminates_job(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    manager = m.BatchJobManagerTask(id="manager", command_line="echo manage")
    client.create_job(_job(job_id, job_manager_task=manager))
    job = client.get_job(job_id)
    assert job.state == m.BatchJobState.COMPLETED
    assert job_exec_info(job).termination_reason == "JMComplete"

    assert client.get_task(job_id, "manager").state == m.BatchTaskState.COMPLETED


def test_emulator_handle_env(emulator: EmulatorHandle) -> None:
    assert emulator.env["AZURE_BATCH_ENDPOINT"] == emulator.endpoint
    assert emulator.env["AZURE_BATCH_ACCOUNT"] == emulator.account
