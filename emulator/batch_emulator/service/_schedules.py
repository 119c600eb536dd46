"""Job schedule verbs: create, get, list, update (PATCH), replace (PUT), delete, terminate,
disable, enable, the jobs of a schedule; and the recurrence that adds its jobs.

The service decides (:meth:`JobScheduleService.evaluate`: create the job that is due,
skip a lost opportunity, complete the schedule) and tells the engine when to ask again
(``Engine.job_schedule_due``); the engine owns the clock and its timers. A job is added
through Add Job's own path, and the schedule's recurrence counter is saved in the same
transaction as the job, so a restart neither repeats nor skips a recurrence.
"""

from __future__ import annotations

import builtins
from contextlib import suppress
from datetime import datetime
from typing import Any

from batch_emulator.clock import iso, parse_iso
from batch_emulator.errors import BatchError, invalid_state, resource_exists
from batch_emulator.service import _rules, states
from batch_emulator.service._context import BASE, Conditions, Context, key
from batch_emulator.service._jobs import JobService, with_defaults
from batch_emulator.service._paging import ListQuery, Page, paginate
from batch_emulator.service._recurrence import Recurrence
from batch_emulator.service._schema import check_body
from batch_emulator.service._statistics import schedule_statistics
from batch_emulator.store import Row

__all__ = ["JobScheduleService"]

_KIND = "jobschedule"
#: Evaluations of one schedule in a row, at most (each creates a job or returns).
_MAX_STEPS = 100


class JobScheduleService:
    """Verbs on ``/jobschedules``."""

    def __init__(self, ctx: Context, jobs: JobService) -> None:
        self._ctx = ctx
        self._jobs = jobs
        self._busy: set[str] = set()

    # -- reads ---------------------------------------------------------------------

    def get(
        self, schedule_id: str, conditions: Conditions, *, stats: bool = False
    ) -> dict[str, Any]:
        """The schedule; with ``stats`` also its statistics over its jobs."""
        body = self._ctx.load(_KIND, "", schedule_id)
        conditions.check(body, read=True)
        if stats:
            jobs = [row.body for row in self._job_rows(schedule_id)]
            body = {**body, "stats": schedule_statistics(body, jobs, iso(self._ctx.now()))}
        return body

    def list(self, query: ListQuery) -> Page:
        return paginate(self._ctx.store.list(_KIND, "", query.after_seq()), query)

    def list_jobs(self, schedule_id: str, query: ListQuery) -> Page:
        """List Jobs From Schedule: the schedule's jobs that still exist."""
        self._ctx.load(_KIND, "", schedule_id)
        return paginate(self._job_rows(schedule_id, query.after_seq()), query)

    def _job_rows(self, schedule_id: str, after_seq: int = 0) -> builtins.list[Row]:
        wanted = key(schedule_id)
        rows = self._ctx.store.list("job", "", after_seq)
        return [row for row in rows if row.body.get("_scheduleId") == wanted]

    # -- writes ----------------------------------------------------------------------

    def create(self, payload: object) -> dict[str, Any]:
        spec = check_body(payload, "BatchJobScheduleCreateOptions")
        _rules.check_job_schedule(spec, create=True)
        ctx = self._ctx
        now = ctx.now()
        body: dict[str, Any] = {
            **spec,
            "jobSpecification": with_defaults(spec["jobSpecification"]),
            "url": f"{BASE}/jobschedules/{spec['id']}",
            "creationTime": iso(now),
            "state": "active",
            "stateTransitionTime": iso(now),
            "executionInfo": {},
        }
        _set_timing(body, now)
        with ctx.lock, ctx.store.transaction():
            ctx.stamp(body, now)
            if not ctx.store.insert(_KIND, "", key(body["id"]), body):
                raise resource_exists(_KIND)
        self.evaluate(body["id"])
        return ctx.load(_KIND, "", body["id"])

    def update(self, schedule_id: str, payload: object, conditions: Conditions) -> dict[str, Any]:
        patch = check_body(payload, "BatchJobScheduleUpdateOptions")
        _rules.check_job_schedule(patch, create=False)
        return self._modify(schedule_id, patch, conditions, replace=False)

    def replace(self, schedule_id: str, payload: object, conditions: Conditions) -> dict[str, Any]:
        spec = check_body(payload, "BatchJobSchedule")
        _rules.check_job_schedule(spec, create=False)
        return self._modify(schedule_id, spec, conditions, replace=True)

    def _modify(
        self, schedule_id: str, changes: dict[str, Any], conditions: Conditions, *, replace: bool
    ) -> dict[str, Any]:
        """New settings apply to jobs created from now on; the active job keeps its own."""
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            body = ctx.load(_KIND, "", schedule_id)
            conditions.check(body, read=False)
            if body["state"] in {"completed", "deleting", "terminating"}:
                raise invalid_state(_KIND, body["state"], "updated")
            now = ctx.now()
            if "schedule" in changes or replace:
                body["schedule"] = changes.get("schedule", {})
                _set_timing(body, now)
            if "jobSpecification" in changes:
                spec = changes["jobSpecification"]
                spec.setdefault("poolInfo", body["jobSpecification"]["poolInfo"])
                body["jobSpecification"] = with_defaults(spec)
            if "metadata" in changes:
                body["metadata"] = changes["metadata"]
            elif replace:
                body.pop("metadata", None)
            ctx.stamp(body, now)
            ctx.save(_KIND, "", body)
        self.evaluate(body["id"])
        return ctx.load(_KIND, "", body["id"])

    def delete(self, schedule_id: str, conditions: Conditions) -> None:
        """Mark it deleting and delete its jobs (an active one runs its release tasks);
        the schedule is gone once its last job is."""
        body = self._move(schedule_id, conditions, "deleting", "deleted")
        for row in self._job_rows(body["id"]):
            if row.body["state"] != "deleting":
                with suppress(BatchError):  # deleted meanwhile
                    self._jobs.delete(row.body["id"], Conditions())
        self.evaluate(body["id"])

    def terminate(self, schedule_id: str, conditions: Conditions) -> dict[str, Any]:
        """Terminate its active job (``TerminateJobSchedule``); completed once it is."""
        body = self._move(schedule_id, conditions, "terminating", "terminated")
        active = self._active_job(body)
        if active is not None and active["state"] not in {"terminating", "deleting"}:
            self._jobs.terminate(active["id"], None, Conditions(), reason="TerminateJobSchedule")
        self.evaluate(body["id"])
        return self._ctx.load(_KIND, "", body["id"])

    def disable(self, schedule_id: str, conditions: Conditions) -> dict[str, Any]:
        """No new jobs until enabled; an active job goes on running."""
        self._move(schedule_id, conditions, "disabled", "disabled")
        self.evaluate(schedule_id)
        return self._ctx.load(_KIND, "", schedule_id)

    def enable(self, schedule_id: str, conditions: Conditions) -> dict[str, Any]:
        self._move(schedule_id, conditions, "active", "enabled")
        self.evaluate(schedule_id)
        return self._ctx.load(_KIND, "", schedule_id)

    def _move(
        self, schedule_id: str, conditions: Conditions, target: str, verb: str
    ) -> dict[str, Any]:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            body = ctx.load(_KIND, "", schedule_id)
            conditions.check(body, read=False)
            if body["state"] == target and target in {"active", "disabled"}:
                return body  # enabling an active schedule, disabling a disabled one
            if target not in states.JOB_SCHEDULE[body["state"]]:
                raise invalid_state(_KIND, body["state"], verb)
            states.move(states.JOB_SCHEDULE, body, target, ctx.now())
            ctx.stamp(body)
            ctx.save(_KIND, "", body)
        return body

    # -- recurrence ---------------------------------------------------------------------

    def evaluate(self, schedule_id: str) -> None:
        """Bring the schedule up to date with the clock and its jobs, then tell the engine
        when to ask again. Re-entered for the same schedule (a job added here ended at
        once), it returns: the outer evaluation reloads and goes on."""
        ctx = self._ctx
        schedule_key = key(schedule_id)
        with ctx.lock:
            if schedule_key in self._busy:
                return
            self._busy.add(schedule_key)
            try:
                # One transaction: a reader sees the added job and the schedule's next
                # ``nextRunTime`` together, never the job without it.
                with ctx.store.transaction():
                    wake = self._settle(schedule_key)
            finally:
                self._busy.discard(schedule_key)
            ctx.engine.job_schedule_due(schedule_id, wake)

    def resume(self) -> None:
        """After a restart: evaluate every schedule (jobs due meanwhile are added)."""
        for row in self._ctx.store.list(_KIND, ""):
            self.evaluate(row.body["id"])

    def _settle(self, schedule_key: str) -> datetime | None:
        """The steps of :meth:`evaluate`; returns the next time to evaluate, if any."""
        store = self._ctx.store
        for _ in range(_MAX_STEPS):
            body = store.get(_KIND, "", schedule_key)
            if body is None:
                return None
            now = self._ctx.now()
            state = body["state"]
            active = self._active_job(body)
            if state == "deleting":
                if not self._job_rows(schedule_key):
                    store.delete(_KIND, "", schedule_key)
                return None
            if state == "completed" or (state == "terminating" and active is not None):
                return None
            if state == "terminating":
                self._complete(body, now)
                return None
            timing = _timing(body)
            slot = timing.open_slot(int(body["_slot"]), now)
            due = timing.due(slot)
            if due is None:
                if active is None and timing.ended(slot, now):
                    self._complete(body, now)
                    return None
                self._progress(body, slot, None)
                after = timing.after
                return after if after is not None and after > now else None
            self._progress(body, slot, due)
            if now < due:
                return due
            if active is not None or state == "disabled":
                return timing.closes(slot)  # then the opportunity is lost
            self._add_job(body, slot, due)
        return None

    def _active_job(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """The schedule's job that has not completed (at most one), if any."""
        job_id = body.get("_activeJob")
        job = None if job_id is None else self._ctx.store.get("job", "", key(str(job_id)))
        return None if job is None or job["state"] == "completed" else job

    def _progress(self, body: dict[str, Any], slot: int, due: datetime | None) -> None:
        """Record the next slot and ``nextRunTime`` (job-level progress: no new ETag)."""
        info = body["executionInfo"]
        next_run = None if due is None else iso(due)
        if body["_slot"] == slot and info.get("nextRunTime") == next_run:
            return
        body["_slot"] = slot
        if next_run is None:
            info.pop("nextRunTime", None)
        else:
            info["nextRunTime"] = next_run
        self._ctx.save(_KIND, "", body)

    def _add_job(self, body: dict[str, Any], slot: int, due: datetime) -> None:
        runs = int(body.get("_runs", 0)) + 1
        ctx = self._ctx

        def record(job: dict[str, Any]) -> None:
            body.update(_slot=slot + 1, _runs=runs, _activeJob=job["id"], _lastDue=iso(due))
            body["executionInfo"]["recentJob"] = {"id": job["id"], "url": job["url"]}
            ctx.save(_KIND, "", body)

        job_id = f"{body['id']}:job-{runs}"
        self._jobs.add_scheduled(job_id, body["jobSpecification"], body["id"], record)

    def _complete(self, body: dict[str, Any], now: datetime) -> None:
        states.move(states.JOB_SCHEDULE, body, "completed", now)
        body["executionInfo"].pop("nextRunTime", None)
        body["executionInfo"]["endTime"] = iso(now)
        self._ctx.stamp(body, now)
        self._ctx.save(_KIND, "", body)


def _set_timing(body: dict[str, Any], now: datetime) -> None:
    """A new ``schedule`` element: recur from it, after the last job already created."""
    body["_setAt"] = iso(now)
    last = body.get("_lastDue")
    timing = _timing(body)
    body["_slot"] = 0 if last is None else timing.first_after(parse_iso(str(last)))


def _timing(body: dict[str, Any]) -> Recurrence:
    return Recurrence.of(body.get("schedule") or {}, parse_iso(str(body["_setAt"])))
