"""Routes of a task's and a node's files: list, get (``ocp-range``), properties (HEAD),
delete. Content is streamed in chunks, never read whole into memory."""

from __future__ import annotations

from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from batch_emulator.api._http import Call, batch_operation
from batch_emulator.clock import rfc1123
from batch_emulator.errors import invalid_query
from batch_emulator.service import BASE, FileView, byte_range

__all__ = ["routes"]

_OCTETS = "application/octet-stream"


def _recursive(call: Call) -> bool:
    text = call.request.query_params.get("recursive")
    if text is None or text.lower() == "false":
        return False
    if text.lower() == "true":
        return True
    raise invalid_query("recursive", text, "The value must be true or false.")


def _task(call: Call) -> tuple[str, str]:
    params = call.request.path_params
    return str(params["job_id"]), str(params["task_id"])


def _node(call: Call) -> tuple[str, str]:
    params = call.request.path_params
    return str(params["pool_id"]), str(params["node_id"])


def _path(call: Call) -> str:
    return str(call.request.path_params["file_path"])


def _headers(call: Call, view: FileView, length: int) -> dict[str, str]:
    info = view.info
    return {
        "Content-Length": str(length),
        "ETag": view.etag,
        "Last-Modified": rfc1123(info.modified),
        "ocp-creation-time": rfc1123(info.created),
        "ocp-batch-file-isdirectory": "true" if info.is_directory else "false",
        "ocp-batch-file-url": view.url.replace(BASE, call.base),
        "ocp-batch-file-mode": info.mode,
    }


def _content(call: Call, view: FileView) -> Response:
    if view.info.is_directory:
        return Response(status_code=200, headers=_headers(call, view, 0), media_type=_OCTETS)
    start, end = byte_range(call.request.headers.get("ocp-range"), view.info.size)
    chunks = call.service.files.read(view, start, end)
    headers = _headers(call, view, end - start)
    return StreamingResponse(chunks, status_code=200, headers=headers, media_type=_OCTETS)


def _properties(call: Call, view: FileView) -> Response:
    headers = _headers(call, view, view.info.size)
    return Response(status_code=200, headers=headers, media_type=_OCTETS)


async def list_task_files(call: Call) -> Response:
    files = call.service.files
    page = files.list_task(*_task(call), _recursive(call), call.list_query())
    return call.listing(page, "files")


async def get_task_file(call: Call) -> Response:
    view = call.service.files.task_file(*_task(call), _path(call), call.conditions())
    return _content(call, view)


async def get_task_file_properties(call: Call) -> Response:
    view = call.service.files.task_file(*_task(call), _path(call), call.conditions())
    return _properties(call, view)


async def delete_task_file(call: Call) -> Response:
    call.service.files.delete_task_file(*_task(call), _path(call), _recursive(call))
    return call.done(200)


async def list_node_files(call: Call) -> Response:
    files = call.service.files
    page = files.list_node(*_node(call), _recursive(call), call.list_query())
    return call.listing(page, "files")


async def get_node_file(call: Call) -> Response:
    view = call.service.files.node_file(*_node(call), _path(call), call.conditions())
    return _content(call, view)


async def get_node_file_properties(call: Call) -> Response:
    view = call.service.files.node_file(*_node(call), _path(call), call.conditions())
    return _properties(call, view)


async def delete_node_file(call: Call) -> Response:
    call.service.files.delete_node_file(*_node(call), _path(call), _recursive(call))
    return call.done(200)


def routes() -> list[Route]:
    return [
        # HEAD first: a GET route answers HEAD too.
        batch_operation("Tasks_GetTaskFileProperties", get_task_file_properties),
        batch_operation("Tasks_ListTaskFiles", list_task_files),
        batch_operation("Tasks_GetTaskFile", get_task_file),
        batch_operation("Tasks_DeleteTaskFile", delete_task_file),
        batch_operation("Nodes_GetNodeFileProperties", get_node_file_properties),
        batch_operation("Nodes_ListNodeFiles", list_node_files),
        batch_operation("Nodes_GetNodeFile", get_node_file),
        batch_operation("Nodes_DeleteNodeFile", delete_node_file),
    ]
