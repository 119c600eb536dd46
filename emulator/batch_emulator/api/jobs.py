"""Routes of ``/jobs``: thin adapters from HTTP to :class:`JobService`."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from batch_emulator.api._http import Call, batch_operation

__all__ = ["routes"]


def _job_id(call: Call) -> str:
    return str(call.request.path_params["job_id"])


async def create_job(call: Call) -> Response:
    job = call.service.jobs.create(await call.required_body())
    return call.done(201, job, location=True)


async def list_jobs(call: Call) -> Response:
    return call.listing(call.service.jobs.list(call.list_query()), "jobs")


async def get_job(call: Call) -> Response:
    stats = "stats" in call.request.query_params.get("$expand", "").lower()
    job = call.service.jobs.get(_job_id(call), call.conditions(), stats=stats)
    return call.entity(job, "jobs/@Element", select=call.select())


async def update_job(call: Call) -> Response:
    job = call.service.jobs.update(_job_id(call), await call.required_body(), call.conditions())
    return call.done(200, job)


async def replace_job(call: Call) -> Response:
    job = call.service.jobs.replace(_job_id(call), await call.required_body(), call.conditions())
    return call.done(200, job)


async def delete_job(call: Call) -> Response:
    call.service.jobs.delete(_job_id(call), call.conditions())
    return call.done(202)


async def terminate_job(call: Call) -> Response:
    job = call.service.jobs.terminate(_job_id(call), await call.body(), call.conditions())
    return call.done(202, job)


async def disable_job(call: Call) -> Response:
    job = call.service.jobs.disable(_job_id(call), await call.required_body(), call.conditions())
    return call.done(202, job)


async def enable_job(call: Call) -> Response:
    job = call.service.jobs.enable(_job_id(call), call.conditions())
    return call.done(202, job)


async def task_counts(call: Call) -> Response:
    return call.document(call.service.jobs.task_counts(_job_id(call)), "taskcountsresult/@Element")


async def preparation_and_release_status(call: Call) -> Response:
    page = call.service.jobs.preparation_and_release_status(_job_id(call), call.list_query())
    return call.listing(page, "jobpreparationandreleasetaskstatuslist")


def routes() -> list[Route]:
    return [
        batch_operation("Jobs_ListJobs", list_jobs),
        batch_operation("Jobs_CreateJob", create_job),
        batch_operation("Jobs_GetJob", get_job),
        batch_operation("Jobs_UpdateJob", update_job),
        batch_operation("Jobs_ReplaceJob", replace_job),
        batch_operation("Jobs_DeleteJob", delete_job),
        batch_operation("Jobs_TerminateJob", terminate_job),
        batch_operation("Jobs_DisableJob", disable_job),
        batch_operation("Jobs_EnableJob", enable_job),
        batch_operation("Jobs_GetJobTaskCounts", task_counts),
        batch_operation(
            "Jobs_ListJobPreparationAndReleaseTaskStatus", preparation_and_release_status
        ),
    ]
