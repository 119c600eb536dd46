"""Routes of ``/jobschedules``: thin adapters from HTTP to :class:`JobScheduleService`."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from batch_emulator.api._http import Call, batch_operation

__all__ = ["routes"]


def _schedule_id(call: Call) -> str:
    return str(call.request.path_params["job_schedule_id"])


def _expand_stats(call: Call) -> bool:
    return "stats" in call.request.query_params.get("$expand", "").lower()


async def create_job_schedule(call: Call) -> Response:
    schedule = call.service.job_schedules.create(await call.required_body())
    return call.done(201, schedule, location=True)


async def list_job_schedules(call: Call) -> Response:
    return call.listing(call.service.job_schedules.list(call.list_query()), "jobschedules")


async def get_job_schedule(call: Call) -> Response:
    schedules = call.service.job_schedules
    schedule = schedules.get(_schedule_id(call), call.conditions(), stats=_expand_stats(call))
    return call.entity(schedule, "jobschedules/@Element", select=call.select())


async def job_schedule_exists(call: Call) -> Response:
    schedule = call.service.job_schedules.get(_schedule_id(call), call.conditions())
    headers = call.resource_headers(schedule, data_service_id=False)
    return Response(status_code=200, headers=headers, media_type="application/json")


async def update_job_schedule(call: Call) -> Response:
    body = await call.required_body()
    schedule = call.service.job_schedules.update(_schedule_id(call), body, call.conditions())
    return call.done(200, schedule)


async def replace_job_schedule(call: Call) -> Response:
    body = await call.required_body()
    schedule = call.service.job_schedules.replace(_schedule_id(call), body, call.conditions())
    return call.done(200, schedule)


async def delete_job_schedule(call: Call) -> Response:
    call.service.job_schedules.delete(_schedule_id(call), call.conditions())
    return call.done(202)


async def terminate_job_schedule(call: Call) -> Response:
    schedule = call.service.job_schedules.terminate(_schedule_id(call), call.conditions())
    return call.done(202, schedule)


async def disable_job_schedule(call: Call) -> Response:
    schedule = call.service.job_schedules.disable(_schedule_id(call), call.conditions())
    return call.done(204, schedule)


async def enable_job_schedule(call: Call) -> Response:
    schedule = call.service.job_schedules.enable(_schedule_id(call), call.conditions())
    return call.done(204, schedule)


async def list_jobs_from_schedule(call: Call) -> Response:
    page = call.service.job_schedules.list_jobs(_schedule_id(call), call.list_query())
    return call.listing(page, "jobs")


def routes() -> list[Route]:
    return [
        batch_operation("JobSchedules_ListJobSchedules", list_job_schedules),
        batch_operation("JobSchedules_CreateJobSchedule", create_job_schedule),
        batch_operation("JobSchedules_GetJobSchedule", get_job_schedule),
        batch_operation("JobSchedules_JobScheduleExists", job_schedule_exists),
        batch_operation("JobSchedules_UpdateJobSchedule", update_job_schedule),
        batch_operation("JobSchedules_ReplaceJobSchedule", replace_job_schedule),
        batch_operation("JobSchedules_DeleteJobSchedule", delete_job_schedule),
        batch_operation("JobSchedules_TerminateJobSchedule", terminate_job_schedule),
        batch_operation("JobSchedules_DisableJobSchedule", disable_job_schedule),
        batch_operation("JobSchedules_EnableJobSchedule", enable_job_schedule),
        batch_operation("Jobs_ListJobsFromSchedule", list_jobs_from_schedule),
    ]
