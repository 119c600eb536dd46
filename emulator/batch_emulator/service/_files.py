"""File verbs: a task's or a node's files (list, properties, content, delete).

A request names a path below the task's directory (``nodeInfo.taskRootDirectory``) or the
node's root; ``..``, an absolute path or a drive is refused, and the disk behind
:class:`~batch_emulator.protocols.NodeFiles` never answers for anything outside either.
A task's files are unavailable before it ran and once its ``retentionTime`` passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from batch_emulator.clock import iso, parse_duration, parse_iso
from batch_emulator.errors import BatchError, invalid_query, not_found
from batch_emulator.protocols import FileInfo, NodeFiles
from batch_emulator.service._context import BASE, Conditions, Context, key
from batch_emulator.service._odata import parse_filter
from batch_emulator.service._paging import ListQuery, Page

__all__ = ["FileService", "FileView", "byte_range"]

_DRIVE = re.compile(r"^[A-Za-z]:")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class _Scope:
    """Where a request's files live: a node, the directory below its root, the URL."""

    pool_id: str
    node_id: str
    base: str
    url: str


@dataclass(frozen=True)
class FileView:
    """One file as answered: what it is, its URL and ETag, and where to read it."""

    info: FileInfo
    url: str
    etag: str
    scope: _Scope
    path: str


class FileService:
    """Verbs on ``/jobs/{jobId}/tasks/{taskId}/files`` and
    ``/pools/{poolId}/nodes/{nodeId}/files``; ``disks`` is None when no engine keeps
    directories (then every listing is empty and every file is absent)."""

    def __init__(self, ctx: Context, disks: NodeFiles | None) -> None:
        self._ctx = ctx
        self._disks = disks

    # -- scopes ------------------------------------------------------------------

    def _task_scope(self, job_id: str, task_id: str) -> _Scope:
        ctx = self._ctx
        with ctx.lock:
            job = ctx.load("job", "", job_id)
            task = ctx.load("task", key(job_id), task_id)
            where = task.get("nodeInfo")
            if where is None or _expired(task, ctx.now()):
                raise _unavailable()
            if ctx.store.get("node", key(where["poolId"]), key(where["nodeId"])) is None:
                raise _unavailable()
        url = f"{BASE}/jobs/{job['id']}/tasks/{task['id']}/files"
        return _Scope(where["poolId"], where["nodeId"], str(where["taskRootDirectory"]), url)

    def _node_scope(self, pool_id: str, node_id: str) -> _Scope:
        ctx = self._ctx
        with ctx.lock:
            pool = ctx.load("pool", "", pool_id)
            node = ctx.load("node", key(pool_id), node_id)
        url = f"{BASE}/pools/{pool['id']}/nodes/{node['id']}/files"
        return _Scope(pool["id"], node["id"], "", url)

    # -- verbs -------------------------------------------------------------------

    def list_task(self, job_id: str, task_id: str, recursive: bool, query: ListQuery) -> Page:
        return self._list(self._task_scope(job_id, task_id), recursive, query)

    def list_node(self, pool_id: str, node_id: str, recursive: bool, query: ListQuery) -> Page:
        return self._list(self._node_scope(pool_id, node_id), recursive, query)

    def task_file(self, job_id: str, task_id: str, path: str, conditions: Conditions) -> FileView:
        return self._file(self._task_scope(job_id, task_id), path, conditions)

    def node_file(self, pool_id: str, node_id: str, path: str, conditions: Conditions) -> FileView:
        return self._file(self._node_scope(pool_id, node_id), path, conditions)

    def delete_task_file(self, job_id: str, task_id: str, path: str, recursive: bool) -> None:
        self._delete(self._task_scope(job_id, task_id), path, recursive)

    def delete_node_file(self, pool_id: str, node_id: str, path: str, recursive: bool) -> None:
        self._delete(self._node_scope(pool_id, node_id), path, recursive)

    def read(self, view: FileView, start: int, end: int) -> Iterator[bytes]:
        """The bytes ``start`` to ``end`` (exclusive) of a file, in chunks."""
        if self._disks is None or view.info.is_directory:
            return iter(())
        s = view.scope
        return self._disks.read(s.pool_id, s.node_id, s.base, view.path, start, end)

    # -- the work ----------------------------------------------------------------

    def _list(self, scope: _Scope, recursive: bool, query: ListQuery) -> Page:
        predicate = parse_filter(query.filter)
        found = None
        if self._disks is not None:
            found = self._disks.listing(scope.pool_id, scope.node_id, scope.base, recursive)
        items = [_entry(info, scope) for info in found or []]
        if predicate is not None:
            items = [item for item in items if predicate(item)]
        start = _offset(query.skip_token)
        page = items[start : start + query.max_results]
        more = start + query.max_results < len(items)
        return Page(page, str(start + query.max_results) if more else None)

    def _file(self, scope: _Scope, path: str, conditions: Conditions) -> FileView:
        clean = clean_path(path)
        info = None
        if self._disks is not None:
            info = self._disks.stat(scope.pool_id, scope.node_id, scope.base, clean)
        if info is None:
            raise _file_not_found()
        etag = _etag(info.modified)
        conditions.check({"eTag": etag, "lastModified": iso(info.modified)}, read=True)
        return FileView(info, f"{scope.url}/{quote(clean)}", etag, scope, clean)

    def _delete(self, scope: _Scope, path: str, recursive: bool) -> None:
        clean = clean_path(path)
        outcome = "missing"
        if self._disks is not None:
            outcome = self._disks.delete(scope.pool_id, scope.node_id, scope.base, clean, recursive)
        if outcome == "missing":
            raise _file_not_found()
        if outcome == "not_empty":
            raise BatchError(
                409,
                "OperationInvalidForCurrentState",
                "The directory is not empty; set recursive to delete it and what it holds.",
            )


def clean_path(path: str) -> str:
    """A request's file path as '/'-separated parts below its directory; ``\\`` separates
    too (Windows nodes' names), and ``..``, an absolute path or a drive is a 400."""
    text = path.replace("\\", "/")
    parts = [p for p in text.split("/") if p not in {"", "."}]
    if text.startswith("/") or _DRIVE.match(text) or ".." in parts or "\0" in text or not parts:
        raise BatchError(
            400,
            "InvalidUri",
            "The file path must name a file below the task's or node's directory.",
            {"FilePath": path},
        )
    return "/".join(parts)


def byte_range(header: str | None, size: int) -> tuple[int, int]:
    """``ocp-range: bytes=start-end`` (inclusive; ``start-`` and ``-suffix`` too) as a
    half-open (start, end) within a file of ``size`` bytes."""
    if header is None:
        return 0, size
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None or match.groups() == ("", ""):
        raise BatchError(
            400,
            "InvalidHeaderValue",
            "The value provided for one of the HTTP headers was not in the correct format.",
            {"HeaderName": "ocp-range", "HeaderValue": header},
        )
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size
    else:
        start = int(first)
        end = size if last == "" else min(int(last) + 1, size)
    if start >= size or start >= end:
        raise BatchError(
            416,
            "InvalidRange",
            "The range specified is invalid for the current size of the resource.",
            {"HeaderName": "ocp-range", "HeaderValue": header},
        )
    return start, end


def _entry(info: FileInfo, scope: _Scope) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "creationTime": iso(info.created),
        "lastModified": iso(info.modified),
        "contentLength": str(info.size),
        "fileMode": info.mode,
    }
    if not info.is_directory:
        properties["contentType"] = "application/octet-stream"
    return {
        "name": info.name,
        "url": f"{scope.url}/{quote(info.name)}",
        "isDirectory": info.is_directory,
        "properties": properties,
    }


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        return max(0, int(token))
    except ValueError:
        raise invalid_query("$skiptoken", token, "Invalid token.") from None


def _expired(task: dict[str, Any], now: datetime) -> bool:
    """A completed task whose directory's retention time has passed."""
    end = task.get("executionInfo", {}).get("endTime")
    if task["state"] != "completed" or end is None:
        return False
    keep = parse_duration(str(task.get("constraints", {}).get("retentionTime", "P7D")))
    try:
        return keep is not None and parse_iso(str(end)) + keep <= now
    except OverflowError:  # TimeSpan.MaxValue: kept forever
        return False


def _etag(modified: datetime) -> str:
    return f"0x{int(modified.timestamp() * 10_000_000) + 0x8D000000000000:X}"


def _unavailable() -> BatchError:
    return BatchError(
        409,
        "TaskFilesUnavailable",
        "The files of the specified task are unavailable: it has not run on a node, or "
        "its retention time has passed.",
    )


def _file_not_found() -> BatchError:
    return not_found("file")
