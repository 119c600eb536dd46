"""Task verbs: create, create collection (at most 100), get, list, replace, delete,
terminate, reactivate."""

from __future__ import annotations

from typing import Any

from batch_emulator.clock import MAX_DURATION, iso
from batch_emulator.errors import BatchError, invalid_property, resource_exists
from batch_emulator.service import _rules, states
from batch_emulator.service._context import BASE, Conditions, Context, key
from batch_emulator.service._jobs import job_busy_error
from batch_emulator.service._paging import ListQuery, Page, paginate
from batch_emulator.service._schema import check_body

__all__ = ["MAX_TASKS_PER_COLLECTION", "TaskService"]

MAX_TASKS_PER_COLLECTION = 100


class TaskService:
    """Verbs on ``/jobs/{jobId}/tasks`` and ``/jobs/{jobId}/addtaskcollection``."""

    def __init__(self, ctx: Context, after_completion: Any) -> None:
        self._ctx = ctx
        self._after_completion = after_completion

    def _open_job(self, job_id: str) -> dict[str, Any]:
        job = self._ctx.load("job", "", job_id)
        error = job_busy_error(job["state"])
        if error is not None:
            raise error
        return job

    def _build(self, job: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
        """Check a task against the job's rules and build its stored body."""
        _rules.check_task(spec)
        task_key = key(str(spec["id"]))
        for name, default, code in (
            ("jobReleaseTask", _rules.DEFAULT_RELEASE_ID, "TaskIdSameAsJobReleaseTask"),
            ("jobPreparationTask", _rules.DEFAULT_PREPARATION_ID, "TaskIdSameAsJobPreparationTask"),
        ):
            special = job.get(name)
            if special is not None and key(str(special.get("id", default))) == task_key:
                raise BatchError(409, code, f"The task id is the same as the job's {name[3:]} id.")
        if "dependsOn" in spec and not job.get("usesTaskDependencies"):
            raise BatchError(
                409,
                "TaskDependenciesNotSpecifiedOnJob",
                "The job does not allow task dependencies.",
            )
        now = iso(self._ctx.now())
        constraints = {
            "maxWallClockTime": MAX_DURATION,
            "retentionTime": "P7D",
            "maxTaskRetryCount": job["constraints"].get("maxTaskRetryCount", 0),
            **spec.get("constraints", {}),
        }
        return {
            "requiredSlots": 1,
            **spec,
            "constraints": constraints,
            "url": f"{BASE}/jobs/{job['id']}/tasks/{spec['id']}",
            "creationTime": now,
            "state": "active",
            "stateTransitionTime": now,
            "executionInfo": {"retryCount": 0, "requeueCount": 0},
        }

    def add_manager(self, job: dict[str, Any]) -> None:
        """Add a job's Job Manager task as a task of the job (inside job creation)."""
        manager = dict(job["jobManagerTask"])
        for name in ("killJobOnCompletion", "runExclusive", "allowLowPriorityNode"):
            manager.pop(name, None)
        task = self._build(job, manager)
        self._ctx.stamp(task)
        self._ctx.store.insert("task", key(job["id"]), key(task["id"]), task)

    def create(self, job_id: str, payload: object) -> dict[str, Any]:
        spec = check_body(payload, "BatchTaskCreateOptions")
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = self._open_job(job_id)
            task = self._build(job, spec)
            ctx.stamp(task)
            if not ctx.store.insert("task", key(job["id"]), key(task["id"]), task):
                raise resource_exists("task")
            ctx.engine.tasks_added(job["id"], [task["id"]])
        return ctx.load("task", key(job_id), task["id"])

    def create_collection(self, job_id: str, payload: object) -> list[dict[str, Any]]:
        group = check_body(payload, "BatchTaskGroup")
        values = group["value"]
        if len(values) > MAX_TASKS_PER_COLLECTION:
            raise invalid_property(
                "value",
                f"{len(values)} tasks",
                f"A task collection can contain at most {MAX_TASKS_PER_COLLECTION} tasks.",
            )
        ctx = self._ctx
        results: list[dict[str, Any]] = []
        added: list[str] = []
        with ctx.lock, ctx.store.transaction():
            job = self._open_job(job_id)
            job_key = key(job["id"])
            built: list[dict[str, Any] | BatchError] = []
            for spec in values:
                try:
                    task = self._build(job, spec)
                except BatchError as error:
                    built.append(error)
                    continue
                ctx.stamp(task)
                built.append(task)
            fresh = iter(
                ctx.store.insert_many(
                    "task",
                    job_key,
                    [(key(t["id"]), t) for t in built if not isinstance(t, BatchError)],
                )
            )
            for spec, outcome in zip(values, built, strict=True):
                if not isinstance(outcome, BatchError) and not next(fresh):
                    outcome = resource_exists("task")
                if isinstance(outcome, BatchError):
                    results.append(
                        {"status": "clienterror", "taskId": spec["id"], "_error": outcome}
                    )
                    continue
                added.append(outcome["id"])
                results.append(
                    {
                        "status": "success",
                        "taskId": outcome["id"],
                        "eTag": outcome["eTag"],
                        "lastModified": outcome["lastModified"],
                        "location": outcome["url"],
                    }
                )
            if added:
                ctx.engine.tasks_added(job["id"], added)
        return results

    def get(self, job_id: str, task_id: str, conditions: Conditions) -> dict[str, Any]:
        self._ctx.load("job", "", job_id)
        task = self._ctx.load("task", key(job_id), task_id)
        conditions.check(task, read=True)
        return task

    def list(self, job_id: str, query: ListQuery) -> Page:
        self._ctx.load("job", "", job_id)
        return paginate(self._ctx.store.list("task", key(job_id), query.after_seq()), query)

    def replace(
        self, job_id: str, task_id: str, payload: object, conditions: Conditions
    ) -> dict[str, Any]:
        spec = check_body(payload, "BatchTask")
        _rules.check_task({"constraints": spec.get("constraints", {})})
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = ctx.load("job", "", job_id)
            task = ctx.load("task", key(job_id), task_id)
            conditions.check(task, read=False)
            if task["state"] == "completed":
                raise BatchError(409, "TaskCompleted", "The specified task is already completed.")
            task["constraints"] = {
                "maxWallClockTime": MAX_DURATION,
                "retentionTime": "P7D",
                "maxTaskRetryCount": job["constraints"].get("maxTaskRetryCount", 0),
                **spec.get("constraints", {}),
            }
            ctx.stamp(task)
            ctx.save("task", key(job_id), task)
            return task

    def delete(self, job_id: str, task_id: str, conditions: Conditions) -> None:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            ctx.load("job", "", job_id)
            task = ctx.load("task", key(job_id), task_id)
            conditions.check(task, read=False)
            if task["state"] in {"running", "preparing"}:
                ctx.engine.task_terminating(job_id, task["id"])
            ctx.store.delete("task", key(job_id), key(task_id))
        self._after_completion(job_id)

    def terminate(self, job_id: str, task_id: str, conditions: Conditions) -> dict[str, Any]:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            ctx.load("job", "", job_id)
            task = ctx.load("task", key(job_id), task_id)
            conditions.check(task, read=False)
            if task["state"] == "completed":
                return task
            if task["state"] in {"running", "preparing"}:
                ctx.engine.task_terminating(job_id, task["id"])
            states.move(states.TASK, task, "completed", ctx.now())
            info = task["executionInfo"]
            info["endTime"] = iso(ctx.now())
            info["result"] = "failure"
            info["failureInfo"] = {
                "category": "usererror",
                "code": "TaskEnded",
                "message": "Task Was Ended by User Request",
            }
            ctx.stamp(task)
            ctx.save("task", key(job_id), task)
        self._after_completion(job_id)
        return task

    def reactivate(self, job_id: str, task_id: str, conditions: Conditions) -> dict[str, Any]:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = self._open_job(job_id)
            task = ctx.load("task", key(job_id), task_id)
            conditions.check(task, read=False)
            if task["state"] != "completed" or task["executionInfo"].get("result") != "failure":
                raise BatchError(
                    409, "TaskNotFailed", "Only a completed task that failed can be reactivated."
                )
            states.move(states.TASK, task, "active", ctx.now())
            task["executionInfo"] = {"retryCount": 0, "requeueCount": 0}
            task.pop("nodeInfo", None)
            ctx.stamp(task)
            ctx.save("task", key(job_id), task)
            ctx.engine.tasks_added(job["id"], [task["id"]])
        return ctx.load("task", key(job_id), task_id)
