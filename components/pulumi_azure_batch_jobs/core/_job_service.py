"""The Batch side of a job's lifecycle, independent of any Pulumi provider mechanism.

Works on REST JSON, so the native provider and the 0.1 dynamic provider kept for old stacks
wrap the same code; the frequent calls send and read it as it is (``_rest``), the others go
through the azure-batch operations. Every wait is bounded and reports progress through a
callback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import AzureError, ResourceNotFoundError

from . import _rest as rest
from . import _task_wait
from ._errors import BatchJobError, describe, error_code, status_code
from ._polling import POLL_MAX_SECONDS, wait_while
from ._stamp import create_token_of, is_managed_natively, owner_of, with_create_token

if TYPE_CHECKING:
    from azure.batch import BatchClient

#: The service accepts at most this many tasks in one ``Task - Add Collection`` request.
MAX_TASKS_PER_REQUEST = 100
#: Chunks of tasks of one job submitted at once.
TASK_SUBMIT_PARALLELISM = 4
Progress = Callable[[str], None]


def _ignore(_message: str) -> None:
    return None


def own_existing(
    existing: Mapping[str, Any] | None, token: str, what: tuple[str, str, str], hint: str
) -> None:
    """Raise unless ``existing`` (what a create answered ``<code>`` for; ``what`` is noun,
    id and code) is this resource's, left by an earlier attempt, and not being deleted."""
    noun, ident, code = what
    failed = f"creating {noun} {ident!r} failed [{code} 409]: "
    if existing is None or create_token_of(existing) != token:
        raise BatchJobError(
            failed + f"a {noun} with this id already exists and "
            f"was not created by this resource; {hint}",
            code=code,
            status=409,
        ) from None
    if existing.get("state") == "deleting":
        raise BatchJobError(
            failed + f"this resource's earlier {noun} with this id is still being deleted; "
            "run the update again once it is gone",
            code=code,
            status=409,
        ) from None


class BatchJobService:
    """Create, read, update and delete one job and its initial tasks."""

    def __init__(self, client: BatchClient, *, progress: Progress = _ignore) -> None:
        self._client = client
        self._progress = progress

    # -- create -------------------------------------------------------------------------

    def create(
        self,
        job: Mapping[str, Any],
        tasks: Sequence[Mapping[str, Any]],
        token: str,
        owner: str | None = None,
    ) -> dict[str, Any]:
        """Add the job (tagged with ``token``) and its tasks; return the job as then read.

        A ``JobExists`` answer for a job carrying our token means an earlier attempt of
        this very create succeeded but its response was lost: it counts as success.
        """
        body = {**job, "metadata": with_create_token(job.get("metadata"), token, owner)}
        job_id = str(job["id"])
        # A job without tasks counts as all tasks complete: with terminatejob it would
        # complete before its initial tasks were added. Batch's advice: create it with
        # noaction, add the tasks, then set terminatejob.
        deferred = None
        if tasks and str(job.get("onAllTasksComplete") or "").lower() == "terminatejob":
            body["onAllTasksComplete"] = "noaction"
            deferred = job["onAllTasksComplete"]
        try:
            response = rest.send(self._client, "POST", "/jobs", body=body)
            observed = _observed_from_headers(rest.observed_headers(response), job_id)
        except AzureError as exc:
            if error_code(exc) != "JobExists":
                raise describe(exc, f"creating job {job_id!r}") from None
            existing = self.get(job_id)
            own_existing(
                existing,
                token,
                ("job", job_id, "JobExists"),
                "choose another job_id, delete the existing job, or adopt it with adopt=True",
            )
            assert existing is not None
            self.take_over(existing, token, owner)
            observed = _observed_from_job(existing)
            if existing.get("state") != "active":  # its tasks were added (and ran) before
                return _observed_from_job(self.get(job_id) or observed)
        self.add_tasks(job_id, tasks)
        if deferred is not None:
            self.patch(job_id, {"onAllTasksComplete": deferred}, None)
        # One read for exact facts (creation time, state, ETag after the tasks were added);
        # the response headers carry only second-precision times.
        return _observed_from_job(self.get(job_id) or observed)

    def take_over(self, existing: Mapping[str, Any], token: str, owner: str | None) -> None:
        """Stamp a job this resource created before as owned by ``owner``: after a lost
        response, a replacement that keeps the id (the old resource's delete then leaves
        the job alone), or a job of an earlier release's dynamic provider (whose delete of
        the old resource leaves any natively managed job alone)."""
        if is_managed_natively(existing) and owner_of(existing) == owner:
            return
        job_id = str(existing["id"])
        self._progress(f"job {job_id} exists and was created by this resource: keeping it")
        metadata = with_create_token(existing.get("metadata"), token, owner)
        self.patch(job_id, {"metadata": metadata}, existing.get("eTag"))

    def find_own(self, prefix: str, token: str) -> dict[str, Any] | None:
        """A job whose id starts with ``prefix`` and that carries ``token``: one this
        resource created under a generated id (one read)."""
        quoted = prefix.replace("'", "''")
        try:
            jobs = self._client.list_jobs(filter=f"startswith(id,'{quoted}')")
            for job in jobs:
                found: dict[str, Any] = job.as_dict()
                if create_token_of(found) == token and found.get("state") != "deleting":
                    return found
        except AzureError as exc:
            raise describe(exc, f"listing jobs whose id starts with {prefix!r}") from None
        return None

    def add_tasks(self, job_id: str, tasks: Sequence[Mapping[str, Any]]) -> None:
        """Add tasks in chunks of at most 100, several chunks at once."""
        if not tasks:
            return
        chunks = [
            list(tasks[i : i + MAX_TASKS_PER_REQUEST])
            for i in range(0, len(tasks), MAX_TASKS_PER_REQUEST)
        ]
        if len(chunks) == 1:
            self._add_chunk(job_id, chunks[0])
            return
        self._progress(f"adding {len(tasks)} tasks to job {job_id} in {len(chunks)} requests")
        with ThreadPoolExecutor(max_workers=TASK_SUBMIT_PARALLELISM) as pool:
            for future in [pool.submit(self._add_chunk, job_id, c) for c in chunks]:
                future.result()

    def _add_chunk(self, job_id: str, chunk: Sequence[Mapping[str, Any]]) -> None:
        path = rest.job_path(job_id, "addtaskcollection")
        try:
            result = rest.send(self._client, "POST", path, body={"value": list(chunk)}).json()
        except AzureError as exc:
            raise describe(exc, f"adding tasks to job {job_id!r}") from None
        failures = []
        for item in result.get("value") or []:
            status = str(item.get("status") or "").lower()
            error = item.get("error") or {}
            code = error.get("code")
            # TaskExists after a retried request whose response was lost: already added.
            if status in ("success", "") or code == "TaskExists":
                continue
            message = (error.get("message") or {}).get("value", "")
            failures.append(f"{item.get('taskId')}: [{code}] {message}")
        if failures:
            raise BatchJobError(f"adding tasks to job {job_id!r} failed: " + "; ".join(failures))

    # -- read ---------------------------------------------------------------------------

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job's REST JSON, or None when it does not exist."""
        try:
            result: dict[str, Any] = rest.send(self._client, "GET", rest.job_path(job_id)).json()
        except ResourceNotFoundError:
            return None
        except AzureError as exc:
            raise describe(exc, f"reading job {job_id!r}") from None
        return result

    def task_counts(self, job_id: str) -> dict[str, int]:
        """The job's task counts now (``Job - Get Task Counts``)."""
        return _task_wait.task_counts(self._client, job_id)

    def wait_for_tasks(self, job_id: str, timeout: float) -> dict[str, int]:
        """Wait until every task of the job completed; fail naming each failed task."""
        return _task_wait.wait_for_tasks(self._client, job_id, timeout, self._progress)

    def preparation_and_release_status(self, job_id: str) -> list[dict[str, Any]]:
        """Per-node Job Preparation / Job Release execution info, as REST JSON."""
        try:
            items = self._client.list_job_preparation_and_release_task_status(job_id)
            return [item.as_dict() for item in items]
        except ResourceNotFoundError:
            return []
        except AzureError as exc:
            raise describe(exc, f"listing preparation/release status of job {job_id!r}") from None

    # -- update -------------------------------------------------------------------------

    def patch(self, job_id: str, changes: Mapping[str, Any], etag: str | None) -> dict[str, Any]:
        """``Job - Update`` with only ``changes``; fails if the job changed since ``etag``."""
        # If-Match: what the SDK sends for ``match_condition=MatchConditions.IfNotModified``.
        headers = {"If-Match": etag} if etag else None
        try:
            response = rest.send(
                self._client, "PATCH", rest.job_path(job_id), body=dict(changes), headers=headers
            )
        except AzureError as exc:
            if error_code(exc) == "ConditionNotMet":
                raise BatchJobError(
                    f"updating job {job_id!r} failed [ConditionNotMet 412]: the job was changed "
                    "outside Pulumi since it was last read (its ETag differs), so nothing was "
                    "changed; run `pulumi refresh` to see the change, then `pulumi up` again",
                    code="ConditionNotMet",
                    status=412,
                ) from None
            raise describe(exc, f"updating job {job_id!r}") from None
        return _observed_from_headers(rest.observed_headers(response), job_id)

    def change_pool(
        self, job_id: str, pool_info: Mapping[str, Any], timeout: float
    ) -> dict[str, Any]:
        """Move the job to another pool: disable (requeue running tasks), patch, enable.

        azure-core retries a Disable or Enable Job whose response was lost; the retry finds
        the job already disabled (or active again) and the service answers 409: that counts
        as done. So does a job left disabled by an earlier, interrupted pool change.
        """
        from azure.batch.models import BatchJobDisableOptions

        deadline = time.monotonic() + timeout
        self._progress(f"disabling job {job_id} to change its pool")
        try:
            self._settle(
                job_id,
                lambda: self._client.begin_disable_job(
                    job_id, BatchJobDisableOptions(disable_tasks="requeue"), polling_interval=1
                ),
                settled="disabled",
                passing="disabling",
                deadline=deadline,
            )
            self.patch(job_id, {"poolInfo": dict(pool_info)}, None)
            self._settle(
                job_id,
                lambda: self._client.begin_enable_job(job_id, polling_interval=1),
                settled="active",
                passing="enabling",
                deadline=deadline,
            )
        except AzureError as exc:
            raise describe(exc, f"changing the pool of job {job_id!r}") from None
        job = self.get(job_id)
        if job is None:
            raise BatchJobError(f"job {job_id!r} disappeared while its pool was being changed")
        return _observed_from_job(job)

    def _settle(
        self,
        job_id: str,
        start: Callable[[], Any],
        *,
        settled: str,
        passing: str,
        deadline: float,
    ) -> None:
        """Start a disable or enable and wait, until ``deadline``, for the job to be
        ``settled``; a 409 while the job is already ``passing`` or ``settled`` is success."""
        try:
            poller = start()
        except AzureError as exc:
            if status_code(exc) != 409:
                raise
            job = self.get(job_id)
            if job is None or job.get("state") not in (settled, passing):
                raise
        else:
            poller.result(timeout=max(deadline - time.monotonic(), 0.0))
            if poller.done():
                return
            raise self._still(job_id, passing)
        while job.get("state") != settled:
            if job.get("state") != passing:
                raise BatchJobError(
                    f"changing the pool of job {job_id!r} failed: the job became "
                    f"{job.get('state')} while it was to become {settled}"
                )
            if time.monotonic() >= deadline:
                raise self._still(job_id, passing)
            self._progress(f"job {job_id} is {passing}: waiting")
            time.sleep(1.0)
            job = self.get(job_id)
            if job is None:
                raise BatchJobError(f"job {job_id!r} disappeared while its pool was being changed")

    @staticmethod
    def _still(job_id: str, passing: str) -> BatchJobError:
        return BatchJobError(
            f"changing the pool of job {job_id!r} failed: the job was still {passing} when the "
            "timeout (delete_timeout_seconds) ran out; run the update again later"
        )

    # -- delete -------------------------------------------------------------------------

    def delete(self, job_id: str, *, timeout: float, terminate_only: bool = False) -> None:
        """Delete (or only terminate) the job and wait, at most ``timeout`` seconds, until
        the service is done: gone, or completed after its Job Release tasks ran."""
        verb = "terminating" if terminate_only else "deleting"
        # The SDK's pollers poll at a fixed interval; ours (``_wait_while``) adapts. Theirs
        # run on in their threads at the slowest interval until the job is done, unused.
        try:
            if terminate_only:
                # azure-batch 15.1 cannot send a terminate without a body (it fails building
                # the Content-Type header), so always send the options (their REST JSON:
                # it types them as a class it does not export), with a reason.
                self._client.begin_terminate_job(
                    job_id,
                    {"terminateReason": "PulumiDestroy"},  # type: ignore[arg-type]
                    polling_interval=int(POLL_MAX_SECONDS),
                )
            else:
                self._client.begin_delete_job(job_id, polling_interval=int(POLL_MAX_SECONDS))
        except ResourceNotFoundError:
            return
        except AzureError as exc:
            if terminate_only and error_code(exc) == "JobCompleted":
                return
            raise describe(exc, f"{verb} job {job_id!r}") from None
        self._wait_while(job_id, verb, timeout)

    def _wait_while(self, job_id: str, state: str, timeout: float) -> None:
        """Wait until the job is gone or no longer in ``state`` (``poll_interval``)."""
        wait_while(
            lambda: self.get(job_id),
            lambda job: job.get("state") == state,
            timeout=timeout,
            report=lambda: self._progress(
                f"{state} job {job_id}: waiting for Job Release tasks to complete"
            ),
            timed_out=lambda: BatchJobError(
                f"{state} job {job_id!r} did not finish within {timeout:g} s (its Job Release "
                "tasks may still be running); raise delete_timeout_seconds or check the "
                "job's preparation/release task status"
            ),
        )


def _observed_from_headers(headers: Mapping[str, Any] | None, job_id: str) -> dict[str, Any]:
    headers = headers or {}
    last_modified = headers.get("Last-Modified")
    if isinstance(last_modified, datetime):
        last_modified = last_modified.isoformat()
    return {
        "id": job_id,
        "url": headers.get("DataServiceId"),
        "eTag": headers.get("ETag"),
        "lastModified": last_modified,
        "state": "active",
    }


def _observed_from_job(job: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": job.get("id"),
        "url": job.get("url"),
        "eTag": job.get("eTag"),
        "lastModified": job.get("lastModified"),
        "creationTime": job.get("creationTime"),
        "state": job.get("state"),
    }
