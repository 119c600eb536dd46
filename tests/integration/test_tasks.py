"""Tasks through the real azure-batch SDK: create, collections, get, list, update,
delete, terminate, and the errors Batch answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError

from batch_emulator.testing import EmulatorHandle
from tests.support.sdk_fields import exec_info, present, rest_response

NewId = Callable[[str], str]


def _error(exc: pytest.ExceptionInfo[HttpResponseError]) -> tuple[int, str, dict[str, str]]:
    response = rest_response(exc.value)
    body = response.json()
    return (
        response.status_code,
        body["code"],
        {v["key"]: v["value"] for v in body.get("values", [])},
    )


@pytest.fixture
def job_id(client: BatchClient, new_id: NewId) -> str:
    job_id = new_id("job")
    client.create_job(
        m.BatchJobCreateOptions(
            id=job_id,
            pool_info=m.BatchPoolInfo(pool_id="default"),
            job_preparation_task=m.BatchJobPreparationTask(command_line="echo prep"),
            job_release_task=m.BatchJobReleaseTask(id="cleanup", command_line="echo release"),
        )
    )
    return job_id


def _task(task_id: str, **kwargs: Any) -> m.BatchTaskCreateOptions:
    return m.BatchTaskCreateOptions(id=task_id, command_line="/bin/echo hi", **kwargs)


def test_create_get_list(client: BatchClient, job_id: str) -> None:
    client.create_task(job_id, _task("Task-1", required_slots=2))
    task = client.get_task(job_id, "task-1")  # ids are case-insensitive
    assert task.id == "Task-1"
    assert task.state == m.BatchTaskState.COMPLETED  # this engine completes at once
    assert exec_info(task).exit_code == 0
    assert exec_info(task).result == m.BatchTaskExecutionResult.SUCCESS
    assert task.node_info is not None and task.node_info.pool_id == "default"
    assert task.required_slots == 2
    assert present(task.constraints).retention_time == timedelta(days=7)
    assert [t.id for t in client.list_tasks(job_id)] == ["Task-1"]


def test_task_with_release_task_id_is_409(client: BatchClient, job_id: str) -> None:
    with pytest.raises(ResourceExistsError) as exc:
        client.create_task(job_id, _task("CLEANUP"))
    assert _error(exc)[:2] == (409, "TaskIdSameAsJobReleaseTask")


def test_default_release_id_is_reserved(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(
        m.BatchJobCreateOptions(
            id=job_id,
            pool_info=m.BatchPoolInfo(pool_id="default"),
            job_preparation_task=m.BatchJobPreparationTask(command_line="echo prep"),
            job_release_task=m.BatchJobReleaseTask(command_line="echo release"),
        )
    )
    with pytest.raises(ResourceExistsError) as exc:
        client.create_task(job_id, _task("jobrelease"))
    assert _error(exc)[:2] == (409, "TaskIdSameAsJobReleaseTask")
    result = client.create_task_collection(
        job_id, m.BatchTaskGroup(task_values=[_task("ok"), _task("JobRelease")])
    )
    by_id = {r.task_id: r for r in present(result.result_values)}
    assert by_id["ok"].status == m.BatchTaskAddStatus.SUCCESS
    assert by_id["JobRelease"].status == m.BatchTaskAddStatus.CLIENT_ERROR
    assert present(by_id["JobRelease"].error).code == "TaskIdSameAsJobReleaseTask"


def test_task_exists_and_not_found(client: BatchClient, job_id: str) -> None:
    client.create_task(job_id, _task("dup"))
    with pytest.raises(ResourceExistsError) as exc:
        client.create_task(job_id, _task("DUP"))
    assert _error(exc)[:2] == (409, "TaskExists")
    with pytest.raises(ResourceNotFoundError) as missing_task:
        client.get_task(job_id, "missing")
    assert _error(missing_task)[:2] == (404, "TaskNotFound")
    with pytest.raises(ResourceNotFoundError) as missing_job:
        client.create_task("no-such-job", _task("t"))
    assert _error(missing_job)[:2] == (404, "JobNotFound")


def test_missing_command_line_names_property(client: BatchClient, job_id: str) -> None:
    with pytest.raises(HttpResponseError) as exc:
        client.create_task(job_id, {"id": "nocmd"})  # type: ignore[arg-type]
    assert _error(exc) == (400, "MissingRequiredProperty", {"PropertyName": "commandLine"})


def test_collection_of_100_and_more(client: BatchClient, job_id: str) -> None:
    tasks = [_task(f"c{i}") for i in range(100)]
    result = client.create_task_collection(job_id, m.BatchTaskGroup(task_values=tasks))
    assert len(present(result.result_values)) == 100
    assert all(r.status == m.BatchTaskAddStatus.SUCCESS for r in present(result.result_values))
    too_many = [_task(f"d{i}") for i in range(101)]
    with pytest.raises(HttpResponseError) as exc:
        client.create_task_collection(job_id, m.BatchTaskGroup(task_values=too_many))
    status, code, values = _error(exc)
    assert (status, code, values["PropertyName"]) == (400, "InvalidPropertyValue", "value")
    assert client.get_job_task_counts(job_id).task_counts.completed == 100


def test_create_tasks_chunks_through_sdk(client: BatchClient, job_id: str) -> None:
    tasks = [_task(f"bulk{i}") for i in range(250)]
    result = client.create_tasks(job_id, tasks, max_concurrency=2)
    assert len(present(result.result_values)) == 250
    assert len(list(client.list_tasks(job_id, max_results=40))) == 250


def test_update_task_constraints(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(
        m.BatchJobCreateOptions(id=job_id, pool_info=m.BatchPoolInfo(pool_id="no-nodes-pool"))
    )
    client.create_task(job_id, _task("waiting"))
    task = client.get_task(job_id, "waiting")
    task.constraints = m.BatchTaskConstraints(max_task_retry_count=3)
    client.replace_task(job_id, "waiting", task)
    updated = client.get_task(job_id, "waiting")
    assert present(updated.constraints).max_task_retry_count == 3
    assert updated.etag != task.etag


def test_update_completed_task_is_409(client: BatchClient, job_id: str) -> None:
    client.create_task(job_id, _task("done"))
    task = client.get_task(job_id, "done")
    with pytest.raises(HttpResponseError) as exc:
        client.replace_task(job_id, "done", task)
    assert _error(exc)[:2] == (409, "TaskCompleted")


def test_terminate_and_delete(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    client.create_job(
        m.BatchJobCreateOptions(id=job_id, pool_info=m.BatchPoolInfo(pool_id="no-nodes-pool"))
    )
    client.create_task(job_id, _task("stop-me"))
    client.terminate_task(job_id, "stop-me")
    task = client.get_task(job_id, "stop-me")
    assert task.state == m.BatchTaskState.COMPLETED
    assert exec_info(task).result == m.BatchTaskExecutionResult.FAILURE
    client.delete_task(job_id, "stop-me")
    with pytest.raises(ResourceNotFoundError):
        client.get_task(job_id, "stop-me")
    with pytest.raises(ResourceNotFoundError) as exc:
        client.delete_task(job_id, "stop-me")
    assert _error(exc)[:2] == (404, "TaskNotFound")


def test_list_tasks_filter_and_select(client: BatchClient, job_id: str) -> None:
    client.create_task_collection(
        job_id, m.BatchTaskGroup(task_values=[_task(f"f{i}") for i in range(5)])
    )
    client.terminate_task(job_id, "f1")  # already completed: stays a success
    listed = list(
        client.list_tasks(
            job_id, filter="state eq 'completed' and startswith(id, 'f')", select=["id"]
        )
    )
    assert sorted(t.id for t in listed) == [f"f{i}" for i in range(5)]
    assert all(t.command_line is None for t in listed)
    none = list(client.list_tasks(job_id, filter="executionInfo/exitCode ne 0"))
    assert none == []


def test_oversized_collection_is_split_by_the_sdk(
    client: BatchClient, job_id: str, emulator: EmulatorHandle
) -> None:
    """Over 1 MB a collection is a 413 RequestBodyTooLarge, which create_tasks answers by
    halving its chunks."""
    big = "x" * 20_000
    tasks = [m.BatchTaskCreateOptions(id=f"big{i}", command_line=f"echo {big}") for i in range(100)]
    with pytest.raises(HttpResponseError) as exc:
        client.create_task_collection(job_id, m.BatchTaskGroup(task_values=tasks))
    assert _error(exc)[:2] == (413, "RequestBodyTooLarge")
    emulator.reset_stats()
    result = client.create_tasks(job_id, tasks)
    assert len(present(result.result_values)) == 100

    calls = [
        r for r in emulator.stats()["operations"] if r["operation"] == "Tasks_CreateTaskCollection"
    ]
    assert {r["status"] for r in calls} == {200, 413}
