"""The azure-batch models' optional fields, for tests that expect them set.

Each helper asserts its field is present and returns it typed, so a test that reads
``task.execution_info.exit_code`` fails on an assertion (not an AttributeError) when
the emulator leaves the field out."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from azure.batch import models as m
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpResponse

T = TypeVar("T")


def present(value: T | None, what: str = "value") -> T:
    """``value``, asserted not None."""
    assert value is not None, f"{what} is missing"
    return value


def exec_info(task: m.BatchTask) -> m.BatchTaskExecutionInfo:
    return present(task.execution_info, f"execution_info of task {task.id}")


def node_info(task: m.BatchTask) -> m.BatchNodeInfo:
    return present(task.node_info, f"node_info of task {task.id}")


def started(task: m.BatchTask) -> datetime:
    return present(exec_info(task).start_time, f"start_time of task {task.id}")


def ended(task: m.BatchTask) -> datetime:
    return present(exec_info(task).end_time, f"end_time of task {task.id}")


def job_exec_info(job: m.BatchJob) -> m.BatchJobExecutionInfo:
    return present(job.execution_info, f"execution_info of job {job.id}")


def prep_info(
    status: m.BatchJobPreparationAndReleaseTaskStatus,
) -> m.BatchJobPreparationTaskExecutionInfo:
    return present(
        status.job_preparation_task_execution_info,
        f"job_preparation_task_execution_info on node {status.node_id}",
    )


def release_info(
    status: m.BatchJobPreparationAndReleaseTaskStatus,
) -> m.BatchJobReleaseTaskExecutionInfo:
    return present(
        status.job_release_task_execution_info,
        f"job_release_task_execution_info on node {status.node_id}",
    )


def failure(
    info: m.BatchTaskExecutionInfo
    | m.BatchJobPreparationTaskExecutionInfo
    | m.BatchJobReleaseTaskExecutionInfo,
) -> m.BatchTaskFailureInfo:
    return present(info.failure_info, "failure_info")


def rest_response(error: HttpResponseError) -> HttpResponse:
    """The response an SDK error carries, as the ``azure.core.rest`` response it is at run
    time (the exception types it as a protocol without ``json()``)."""
    response = error.response
    assert isinstance(response, HttpResponse), f"not an azure.core.rest response: {response!r}"
    return response
