"""Job verbs: create, get, list, update (PATCH), replace (PUT), delete, terminate,
disable, enable, task counts and the preparation/release task status list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from batch_emulator.clock import MAX_DURATION, iso
from batch_emulator.errors import (
    BatchError,
    busy,
    invalid_state,
    missing_property,
    resource_exists,
)
from batch_emulator.service import _rules, states
from batch_emulator.service._context import BASE, Conditions, Context, key
from batch_emulator.service._paging import ListQuery, Page, paginate
from batch_emulator.service._schema import check_body
from batch_emulator.service._statistics import job_statistics

__all__ = ["JobService", "job_busy_error", "with_defaults"]

_UPDATABLE = (
    "priority",
    "allowTaskPreemption",
    "maxParallelTasks",
    "constraints",
    "poolInfo",
    "onAllTasksComplete",
    "metadata",
    "networkConfiguration",
)
_DEFAULTS: dict[str, Any] = {
    "priority": 0,
    "allowTaskPreemption": False,
    "maxParallelTasks": -1,
    "constraints": {"maxWallClockTime": MAX_DURATION, "maxTaskRetryCount": 0},
    "onAllTasksComplete": "noaction",
}


def with_defaults(spec: dict[str, Any]) -> dict[str, Any]:
    """A job (or a schedule's job specification) with the defaults Batch reports."""
    job: dict[str, Any] = {
        **_DEFAULTS,
        "usesTaskDependencies": False,
        "onTaskFailure": "noaction",
        **spec,
    }
    job["constraints"] = {**_DEFAULTS["constraints"], **job["constraints"]}
    if "jobPreparationTask" in job:
        job["jobPreparationTask"] = {
            "id": _rules.DEFAULT_PREPARATION_ID,
            "waitForSuccess": True,
            "rerunOnNodeRebootAfterSuccess": True,
            **job["jobPreparationTask"],
        }
    if "jobReleaseTask" in job:
        job["jobReleaseTask"] = {
            "id": _rules.DEFAULT_RELEASE_ID,
            "maxWallClockTime": "PT15M",
            "retentionTime": "P7D",
            **job["jobReleaseTask"],
        }
    return job


def job_busy_error(state: str) -> BatchError | None:
    """The error Batch answers for changing a job in a finished or finishing state."""
    return busy("job", state)


def _invalid_state(job: dict[str, Any], verb: str) -> BatchError:
    return invalid_state("job", job["state"], verb)


class JobService:
    """Verbs on ``/jobs``."""

    def __init__(self, ctx: Context, add_manager: Any) -> None:
        self._ctx = ctx
        self._add_manager = add_manager

    def create(self, payload: object) -> dict[str, Any]:
        spec = check_body(payload, "BatchJobCreateOptions")
        _rules.check_job(spec)
        return self._add(spec)

    def add_scheduled(
        self,
        job_id: str,
        specification: dict[str, Any],
        schedule_id: str,
        also: Callable[[dict[str, Any]], None],
    ) -> dict[str, Any]:
        """Add Job for a job schedule: ``job_id`` (``<schedule>:job-<n>``) with the
        schedule's ``jobSpecification`` (validated with the schedule); ``also`` runs in
        the same transaction as the insert (the schedule's own record of the job)."""
        spec = {**specification, "id": job_id}
        return self._add(spec, hidden={"_scheduleId": key(schedule_id)}, also=also)

    def _add(
        self,
        spec: dict[str, Any],
        *,
        hidden: dict[str, Any] | None = None,
        also: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        ctx = self._ctx
        now = iso(ctx.now())
        job: dict[str, Any] = {
            **with_defaults(spec),
            "url": f"{BASE}/jobs/{spec['id']}",
            "creationTime": now,
            "state": "active",
            "stateTransitionTime": now,
            "executionInfo": {"startTime": now, "poolId": spec["poolInfo"].get("poolId", "")},
            **(hidden or {}),
        }
        if not job["executionInfo"]["poolId"]:
            del job["executionInfo"]["poolId"]
        with ctx.lock, ctx.store.transaction():
            ctx.stamp(job)
            if not ctx.store.insert("job", "", key(job["id"]), job):
                raise resource_exists("job")
            if "jobManagerTask" in job:
                self._add_manager(job)
            if also is not None:
                also(job)
        ctx.engine.job_schedulable(job["id"])
        self.check_all_complete(job["id"])
        return ctx.load("job", "", job["id"])

    def get(self, job_id: str, conditions: Conditions, *, stats: bool = False) -> dict[str, Any]:
        """The job; with ``stats`` also its statistics as of now (``$expand=stats``)."""
        job = self._ctx.load("job", "", job_id)
        conditions.check(job, read=True)
        if stats:
            job = {**job, "stats": job_statistics(job, iso(self._ctx.now()))}
        return job

    def list(self, query: ListQuery) -> Page:
        return paginate(self._ctx.store.list("job", "", query.after_seq()), query)

    def update(self, job_id: str, payload: object, conditions: Conditions) -> dict[str, Any]:
        patch = check_body(payload, "BatchJobUpdateOptions")
        _rules.check_job_update(patch)
        return self._modify(job_id, patch, conditions, replace=False)

    def replace(self, job_id: str, payload: object, conditions: Conditions) -> dict[str, Any]:
        spec = check_body(payload, "BatchJob")
        _rules.check_job_update(spec)
        if "poolInfo" not in spec:
            raise missing_property("poolInfo")
        return self._modify(job_id, spec, conditions, replace=True)

    def _modify(
        self, job_id: str, changes: dict[str, Any], conditions: Conditions, *, replace: bool
    ) -> dict[str, Any]:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = ctx.load("job", "", job_id)
            conditions.check(job, read=False)
            if job["state"] in {"completed", "deleting", "terminating"}:
                raise _invalid_state(job, "updated")
            new_pool = changes.get("poolInfo")
            if new_pool is not None and new_pool != job["poolInfo"] and job["state"] != "disabled":
                raise BatchError(
                    409,
                    "OperationInvalidForCurrentState",
                    "The pool of a job can be changed only while the job is disabled.",
                )
            for name in _UPDATABLE:
                if name in changes:
                    value = changes[name]
                    if name == "constraints":
                        value = {**_DEFAULTS["constraints"], **value}
                    job[name] = value
                elif replace:
                    if name in _DEFAULTS:
                        job[name] = _DEFAULTS[name]
                    elif name != "poolInfo":
                        job.pop(name, None)
            if new_pool is not None and "poolId" in new_pool:
                job["executionInfo"]["poolId"] = new_pool["poolId"]
            ctx.stamp(job)
            ctx.save("job", "", job)
        if job["state"] == "active":  # new constraints, priority or limits apply now
            ctx.engine.job_schedulable(job["id"])
        self.check_all_complete(job["id"])
        return ctx.load("job", "", job["id"])

    def delete(self, job_id: str, conditions: Conditions) -> None:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = ctx.load("job", "", job_id)
            conditions.check(job, read=False)
            if job["state"] == "deleting":
                raise _invalid_state(job, "deleted")
            was_running = job["state"] != "completed"
            states.move(states.JOB, job, "deleting", ctx.now())
            ctx.stamp(job)
            ctx.save("job", "", job)
        ctx.engine.job_deleting(job["id"], run_release=was_running)

    def terminate(
        self,
        job_id: str,
        payload: object,
        conditions: Conditions,
        reason: str = "UserTerminate",
    ) -> dict[str, Any]:
        options = check_body(payload, "BatchJobTerminateOptions") if payload is not None else {}
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = ctx.load("job", "", job_id)
            conditions.check(job, read=False)
            if "terminating" not in states.JOB[job["state"]]:
                raise _invalid_state(job, "terminated")
            states.move(states.JOB, job, "terminating", ctx.now())
            job["executionInfo"]["terminateReason"] = options.get("terminateReason", reason)
            ctx.stamp(job)
            ctx.save("job", "", job)
        ctx.engine.job_terminating(job["id"])
        return ctx.load("job", "", job["id"])

    def disable(self, job_id: str, payload: object, conditions: Conditions) -> dict[str, Any]:
        options = check_body(payload, "BatchJobDisableOptions")
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = ctx.load("job", "", job_id)
            conditions.check(job, read=False)
            if job["state"] != "active":
                raise _invalid_state(job, "disabled")
            states.move(states.JOB, job, "disabling", ctx.now())
            self._stop_running_tasks(job, str(options["disableTasks"]))
            states.move(states.JOB, job, "disabled", ctx.now())
            ctx.stamp(job)
            ctx.save("job", "", job)
        return job

    def _stop_running_tasks(self, job: dict[str, Any], mode: str) -> None:
        if mode == "wait":
            return
        ctx = self._ctx
        for row in ctx.store.list("task", key(job["id"])):
            task = row.body
            if task["state"] not in {"running", "preparing"}:
                continue
            ctx.engine.task_terminating(job["id"], task["id"])
            if mode == "requeue":
                states.move(states.TASK, task, "active", ctx.now())
                task.pop("nodeInfo", None)
            else:
                states.move(states.TASK, task, "completed", ctx.now())
                info = task.setdefault("executionInfo", {"retryCount": 0, "requeueCount": 0})
                info.update({"endTime": iso(ctx.now()), "result": "failure"})
                info["failureInfo"] = {
                    "category": "usererror",
                    "code": "TaskEnded",
                    "message": "The task was terminated by the user.",
                }
            ctx.stamp(task)
            ctx.save("task", key(job["id"]), task)

    def enable(self, job_id: str, conditions: Conditions) -> dict[str, Any]:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = ctx.load("job", "", job_id)
            conditions.check(job, read=False)
            if job["state"] != "disabled":
                raise _invalid_state(job, "enabled")
            states.move(states.JOB, job, "enabling", ctx.now())
            states.move(states.JOB, job, "active", ctx.now())
            ctx.stamp(job)
            ctx.save("job", "", job)
        ctx.engine.job_schedulable(job["id"])
        return ctx.load("job", "", job["id"])

    def task_counts(self, job_id: str) -> dict[str, Any]:
        ctx = self._ctx
        ctx.load("job", "", job_id)
        counts = dict.fromkeys(("active", "running", "completed", "succeeded", "failed"), 0)
        slots = dict(counts)
        for state, result, required, number in ctx.store.count_tasks(key(job_id)):
            bucket = "running" if state == "preparing" else state
            buckets = [bucket] if bucket in counts else []
            if state == "completed":
                buckets.append("failed" if result == "failure" else "succeeded")
            for name in buckets:
                counts[name] += number
                slots[name] += number * required
        return {"taskCounts": counts, "taskSlotCounts": slots}

    def preparation_and_release_status(self, job_id: str, query: ListQuery) -> Page:
        self._ctx.load("job", "", job_id)
        rows = self._ctx.store.list("prep", key(job_id), query.after_seq())
        return paginate(rows, query)

    def check_all_complete(self, job_id: str) -> None:
        """Terminate a ``terminatejob`` job once none of its tasks is left to run."""
        job = self._ctx.store.get("job", "", key(job_id))
        if (
            job is None
            or job["state"] != "active"
            or job.get("onAllTasksComplete") != "terminatejob"
        ):
            return
        if any(s != "completed" for s, _, _, _ in self._ctx.store.count_tasks(key(job_id))):
            return
        self.terminate(job_id, None, Conditions(), reason="AllTasksComplete")
