"""Routes of ``/jobs/{jobId}/tasks`` and ``addtaskcollection``."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from batch_emulator.api._http import Call, batch_operation
from batch_emulator.clock import iso
from batch_emulator.errors import BatchError
from batch_emulator.service import BASE

__all__ = ["MAX_COLLECTION_BYTES", "routes"]

#: Batch's limit on the serialized size of one task collection.
MAX_COLLECTION_BYTES = 1024 * 1024


def _ids(call: Call) -> tuple[str, str]:
    params = call.request.path_params
    return str(params["job_id"]), str(params["task_id"])


async def create_task(call: Call) -> Response:
    job_id = str(call.request.path_params["job_id"])
    task = call.service.tasks.create(job_id, await call.required_body())
    return call.done(201, task, location=True)


async def create_task_collection(call: Call) -> Response:
    job_id = str(call.request.path_params["job_id"])
    payload = await call.required_body(MAX_COLLECTION_BYTES)
    results = call.service.tasks.create_collection(job_id, payload)
    now = iso(call.service.now())
    shown: list[dict[str, Any]] = []
    for item in results:
        error = item.pop("_error", None)
        if isinstance(error, BatchError):
            body = error.body(call.base, call.request_id, now)
            body.pop("odata.metadata", None)
            item["error"] = body
        if "location" in item:
            item["location"] = str(item["location"]).replace(BASE, call.base)
        shown.append(item)
    return call.document({"value": shown}, "taskaddresult")


async def list_tasks(call: Call) -> Response:
    job_id = str(call.request.path_params["job_id"])
    return call.listing(call.service.tasks.list(job_id, call.list_query()), "tasks")


async def get_task(call: Call) -> Response:
    task = call.service.tasks.get(*_ids(call), call.conditions())
    return call.entity(task, "tasks/@Element", select=call.select())


async def replace_task(call: Call) -> Response:
    job_id, task_id = _ids(call)
    task = call.service.tasks.replace(
        job_id, task_id, await call.required_body(), call.conditions()
    )
    return call.done(200, task)


async def delete_task(call: Call) -> Response:
    call.service.tasks.delete(*_ids(call), call.conditions())
    return call.done(200)


async def terminate_task(call: Call) -> Response:
    task = call.service.tasks.terminate(*_ids(call), call.conditions())
    return call.done(204, task)


async def reactivate_task(call: Call) -> Response:
    task = call.service.tasks.reactivate(*_ids(call), call.conditions())
    return call.done(204, task)


def routes() -> list[Route]:
    return [
        batch_operation("Tasks_ListTasks", list_tasks),
        batch_operation("Tasks_CreateTask", create_task),
        batch_operation("Tasks_CreateTaskCollection", create_task_collection),
        batch_operation("Tasks_GetTask", get_task),
        batch_operation("Tasks_ReplaceTask", replace_task),
        batch_operation("Tasks_DeleteTask", delete_task),
        batch_operation("Tasks_TerminateTask", terminate_task),
        batch_operation("Tasks_ReactivateTask", reactivate_task),
    ]
