"""The Batch side of a job schedule's lifecycle, on REST JSON (``_rest``), like a job's.

A schedule carries the same two metadata entries as a job the provider creates (its create
token and its owner), so a create whose response was lost finds its own schedule, and a
delete leaves a schedule a replacement took over alone. Every wait is bounded and reports
progress through a callback.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import AzureError, ResourceNotFoundError

from . import _rest as rest
from ._errors import BatchJobError, describe, error_code, status_code
from ._job_service import BatchJobService, Progress, own_existing
from ._polling import wait_while
from ._stamp import with_create_token

if TYPE_CHECKING:
    from azure.batch import BatchClient

#: How many of a schedule's jobs (the most recent) the outputs report on.
RECENT_JOBS = 5
#: The states in which a schedule creates no more jobs.
ENDED = frozenset({"completed", "terminating", "deleting"})


def _ignore(_message: str) -> None:
    return None


class BatchJobScheduleService:
    """Create, read, update, enable/disable and delete one job schedule."""

    def __init__(self, client: BatchClient, *, progress: Progress = _ignore) -> None:
        self._client = client
        self._progress = progress
        self._jobs = BatchJobService(client, progress=progress)

    # -- create -------------------------------------------------------------------------

    def create(self, body: Mapping[str, Any], token: str, owner: str) -> dict[str, Any]:
        """Add the schedule (tagged with ``token`` and ``owner``); return it as then read.

        ``JobScheduleExists`` for a schedule carrying our token is an earlier attempt of this
        create whose response was lost (or a schedule this resource made before): it is
        stamped with ``owner`` and kept.
        """
        schedule_id = str(body["id"])
        tagged = {**body, "metadata": with_create_token(body.get("metadata"), token, owner)}
        try:
            rest.send(self._client, "POST", "/jobschedules", body=tagged)
        except AzureError as exc:
            if error_code(exc) != "JobScheduleExists":
                raise describe(exc, f"creating job schedule {schedule_id!r}") from None
            existing = self.get(schedule_id)
            own_existing(
                existing,
                token,
                ("job schedule", schedule_id, "JobScheduleExists"),
                "choose another schedule_id, or delete the existing job schedule",
            )
            assert existing is not None
            self.take_over(existing, token, owner)
        found = self.get(schedule_id)
        if found is None:
            raise BatchJobError(f"job schedule {schedule_id!r} disappeared after its creation")
        return found

    def take_over(self, existing: Mapping[str, Any], token: str, owner: str | None) -> None:
        """Stamp a schedule this resource created before as owned by ``owner``."""
        metadata = with_create_token(existing.get("metadata"), token, owner)
        if metadata == existing.get("metadata"):
            return
        schedule_id = str(existing["id"])
        self._progress(f"job schedule {schedule_id} exists and was created by this resource")
        self.patch(schedule_id, {"metadata": metadata}, existing.get("eTag"))

    # -- read ---------------------------------------------------------------------------

    def get(self, schedule_id: str) -> dict[str, Any] | None:
        """The schedule's REST JSON, or None when it does not exist."""
        try:
            response = rest.send(self._client, "GET", rest.schedule_path(schedule_id))
        except ResourceNotFoundError:
            return None
        except AzureError as exc:
            raise describe(exc, f"reading job schedule {schedule_id!r}") from None
        result: dict[str, Any] = response.json()
        return result

    def recent_jobs(self, schedule_id: str) -> list[dict[str, Any]]:
        """The schedule's most recent jobs, newest first: id, state and, per node, the Job
        Preparation and Job Release task execution information (REST JSON)."""
        try:
            jobs = [job.as_dict() for job in self._client.list_jobs_from_schedule(schedule_id)]
        except ResourceNotFoundError:
            return []
        except AzureError as exc:
            raise describe(exc, f"listing the jobs of job schedule {schedule_id!r}") from None
        jobs.sort(key=lambda job: str(job.get("creationTime") or ""), reverse=True)
        return [
            {
                "id": job.get("id"),
                "state": job.get("state"),
                "creationTime": job.get("creationTime"),
                "preparationAndReleaseStatus": self._jobs.preparation_and_release_status(
                    str(job.get("id"))
                ),
            }
            for job in jobs[:RECENT_JOBS]
        ]

    # -- update -------------------------------------------------------------------------

    def patch(
        self, schedule_id: str, changes: Mapping[str, Any], etag: str | None
    ) -> dict[str, Any]:
        """``Job Schedule - Update`` with only ``changes`` (each a whole element); fails if
        the schedule changed since ``etag``. Returns the schedule as then read."""
        headers = {"If-Match": etag} if etag else None
        path = rest.schedule_path(schedule_id)
        try:
            rest.send(self._client, "PATCH", path, body=dict(changes), headers=headers)
        except AzureError as exc:
            if error_code(exc) == "ConditionNotMet":
                raise BatchJobError(
                    f"updating job schedule {schedule_id!r} failed [ConditionNotMet 412]: the "
                    "schedule was changed outside Pulumi since it was last read, so nothing "
                    "was changed; run `pulumi refresh` to see the change, then `pulumi up` again",
                    code="ConditionNotMet",
                    status=412,
                ) from None
            raise describe(exc, f"updating job schedule {schedule_id!r}") from None
        return self._must_get(schedule_id)

    def set_enabled(self, schedule_id: str, enabled: bool) -> dict[str, Any]:
        """Enable or disable the schedule; a 409 once it already is (a retried request whose
        response was lost) counts as done. Returns the schedule as then read."""
        verb, wanted = ("enable", "active") if enabled else ("disable", "disabled")
        try:
            rest.send(self._client, "POST", rest.schedule_path(schedule_id, verb))
        except AzureError as exc:
            current = self.get(schedule_id) if status_code(exc) == 409 else None
            if current is None or current.get("state") != wanted:
                raise describe(exc, f"{verb[:-1]}ing job schedule {schedule_id!r}") from None
        return self._must_get(schedule_id)

    def _must_get(self, schedule_id: str) -> dict[str, Any]:
        found = self.get(schedule_id)
        if found is None:
            raise BatchJobError(f"job schedule {schedule_id!r} does not exist (deleted?)")
        return found

    # -- delete -------------------------------------------------------------------------

    def delete(self, schedule_id: str, *, timeout: float) -> None:
        """Terminate the schedule (its active job ends and its Job Release tasks run), then
        delete it, and wait, at most ``timeout`` seconds in all, until it and its jobs are
        gone."""
        schedule = self.get(schedule_id)
        if schedule is None:
            return
        recent = (schedule.get("executionInfo") or {}).get("recentJob") or {}
        if schedule.get("state") not in ENDED:
            self._post_ignoring_conflict(schedule_id, "POST", "terminate", "terminating")
        waited = _Deadline(timeout)
        self._wait(schedule_id, "terminating", waited)
        self._post_ignoring_conflict(schedule_id, "DELETE", None, "deleting")
        self._wait(schedule_id, None, waited)
        if recent.get("id"):
            job_id = str(recent["id"])
            wait_while(
                lambda: self._jobs.get(job_id),
                lambda _job: True,
                timeout=waited.left(),
                report=lambda: self._progress(f"waiting for job {job_id} to be deleted"),
                timed_out=lambda: waited.error(f"job {job_id!r} of job schedule {schedule_id!r}"),
            )

    def _post_ignoring_conflict(
        self, schedule_id: str, method: str, verb: str | None, doing: str
    ) -> None:
        """Send a terminate or delete; gone (404) or already ended (409) is done."""
        path = rest.schedule_path(schedule_id, *([verb] if verb else []))
        try:
            rest.send(self._client, method, path)
        except ResourceNotFoundError:
            return
        except AzureError as exc:
            if status_code(exc) != 409:
                raise describe(exc, f"{doing} job schedule {schedule_id!r}") from None

    def _wait(self, schedule_id: str, state: str | None, deadline: _Deadline) -> None:
        """Wait until the schedule is gone or (``state`` given) no longer in it."""
        what = state or "being deleted"
        wait_while(
            lambda: self.get(schedule_id),
            lambda found: state is None or found.get("state") == state,
            timeout=deadline.left(),
            report=lambda: self._progress(
                f"job schedule {schedule_id} {what}: waiting for its active job's Job Release "
                "tasks to complete"
            ),
            timed_out=lambda: deadline.error(f"job schedule {schedule_id!r}"),
        )


class _Deadline:
    """One timeout shared by the steps of a delete."""

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._end = time.monotonic() + timeout

    def left(self) -> float:
        return max(self._end - time.monotonic(), 0.0)

    def error(self, what: str) -> BatchJobError:
        return BatchJobError(
            f"deleting {what} did not finish within {self._timeout:g} s (the Job Release tasks "
            "of its active job may still be running); raise delete_timeout_seconds or check the "
            "job's preparation/release task status"
        )
