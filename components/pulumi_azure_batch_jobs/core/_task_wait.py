"""A job's task counts, a bounded wait for its tasks, and what went wrong with failed ones.

The failure report names each failed task's id, exit code and failure category and quotes
the last lines of its ``stderr.txt``, read through the Batch file API (``Get Task File``
with a byte range): what a user would otherwise look up with ``az batch task file
download``.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import AzureError, ResourceNotFoundError

from . import _rest as rest
from ._errors import BatchJobError, describe
from ._polling import POLL_MAX_SECONDS, poll_interval
from ._task_counts import COUNT_NAMES

if TYPE_CHECKING:
    from azure.batch import BatchClient

#: At most this many failed tasks are described; the rest are counted.
MAX_DESCRIBED_FAILURES = 10
#: The tail of ``stderr.txt`` read for a failed task: at most this many bytes and lines.
STDERR_TAIL_BYTES = 4096
STDERR_TAIL_LINES = 5

Progress = Callable[[str], None]


class TasksNotCompletedError(BatchJobError):
    """The wait ended without every task succeeding; ``counts`` are the last ones read."""

    def __init__(self, message: str, counts: Mapping[str, int]) -> None:
        super().__init__(message)
        self.counts = dict(counts)


def task_counts(client: BatchClient, job_id: str) -> dict[str, int]:
    """The job's task counts now, by ``COUNT_NAMES``."""
    try:
        body = rest.send(client, "GET", rest.job_path(job_id, "taskcounts")).json()
    except AzureError as exc:
        raise describe(exc, f"reading the task counts of job {job_id!r}") from None
    counts = body.get("taskCounts") or {}
    return {name: int(counts.get(name) or 0) for name in COUNT_NAMES}


def progress_line(counts: Mapping[str, int]) -> str:
    """``12/40 tasks completed, 1 failed``."""
    total = counts["active"] + counts["running"] + counts["completed"]
    return f"{counts['completed']}/{total} tasks completed, {counts['failed']} failed"


def wait_for_tasks(
    client: BatchClient, job_id: str, timeout: float, progress: Progress
) -> dict[str, int]:
    """Wait, at most ``timeout`` seconds, until no task of the job is active or running.

    Returns the final counts when every task succeeded; raises ``TasksNotCompletedError``
    (with the counts) when some failed, naming each, or when the timeout ran out.
    """
    began = time.monotonic()
    last_line, reported = "", -math.inf
    while True:
        counts = task_counts(client, job_id)
        line = progress_line(counts)
        now = time.monotonic()
        if line != last_line or now - reported >= POLL_MAX_SECONDS:
            progress(line)
            last_line, reported = line, now
        if counts["active"] == 0 and counts["running"] == 0:
            break
        if now - began >= timeout:
            raise TasksNotCompletedError(
                f"waiting for the tasks of job {job_id!r} timed out after {timeout:g} s "
                f"(wait_timeout_seconds): {line}; the job keeps running",
                counts,
            )
        time.sleep(min(poll_interval(now - began), began + timeout - now))
    if counts["failed"]:
        raise TasksNotCompletedError(failure_report(client, job_id, counts), counts)
    return counts


def failure_report(client: BatchClient, job_id: str, counts: Mapping[str, int]) -> str:
    """What failed in the job: one paragraph per failed task (at most
    ``MAX_DESCRIBED_FAILURES``)."""
    try:
        failed = client.list_tasks(
            job_id,
            filter="executionInfo/result eq 'failure'",
            select=["id", "executionInfo"],
            max_results=MAX_DESCRIBED_FAILURES,
        )
        tasks = [task.as_dict() for task in itertools.islice(failed, MAX_DESCRIBED_FAILURES)]
    except AzureError as exc:
        raise describe(exc, f"listing the failed tasks of job {job_id!r}") from None
    failed_count, completed = counts["failed"], counts["completed"]
    lines = [f"{failed_count} of {completed} completed tasks of job {job_id!r} failed:"]
    for task in tasks:
        lines.append(_describe_task(client, job_id, task))
    if failed_count > len(tasks):
        lines.append(f"  ... and {failed_count - len(tasks)} more")
    return "\n".join(lines)


def _describe_task(client: BatchClient, job_id: str, task: Mapping[str, Any]) -> str:
    info = task.get("executionInfo") or {}
    failure = info.get("failureInfo") or {}
    facts = [f"exit code {info.get('exitCode', 'none')}"]
    if failure.get("category"):
        facts.append(f"failure category {failure['category']}")
    if failure.get("code"):
        facts.append(f"code {failure['code']}")
    text = f"  task {task.get('id')}: {', '.join(facts)}"
    if failure.get("message"):
        text += f": {str(failure['message']).strip().splitlines()[0]}"
    return text + "\n" + _stderr_section(client, job_id, str(task.get("id")))


def _stderr_section(client: BatchClient, job_id: str, task_id: str) -> str:
    try:
        tail = stderr_tail(client, job_id, task_id)
    except AzureError as exc:
        return f"    ({describe(exc, 'reading stderr.txt')})"
    if tail is None:
        return "    (no stderr.txt)"
    if not tail:
        return "    (stderr.txt is empty)"
    return "    stderr.txt ends with:\n" + "\n".join(f"    | {line}" for line in tail)


def stderr_tail(client: BatchClient, job_id: str, task_id: str) -> list[str] | None:
    """The last lines of the task's ``stderr.txt`` through the file API; None when the
    service has no such file (never written, or removed after its retention time)."""
    try:
        properties = client.get_task_file_properties(job_id, task_id, "stderr.txt")
        length = int(properties.content_length or 0)
        if length == 0:
            return []
        start = max(length - STDERR_TAIL_BYTES, 0)
        chunks = client.download_task_file(
            job_id, task_id, "stderr.txt", ocp_range=f"bytes={start}-{length - 1}"
        )
        data = b"".join(chunks)
    except ResourceNotFoundError:
        return None
    lines = data.decode("utf-8", errors="replace").splitlines()
    if start > 0 and lines:
        lines = lines[1:]  # the first line read is likely cut
    return lines[-STDERR_TAIL_LINES:]
