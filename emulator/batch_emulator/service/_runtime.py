"""The service's side of the engine seam: the verbs an engine uses to move resources."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from batch_emulator.clock import iso
from batch_emulator.protocols import Execution
from batch_emulator.service import states
from batch_emulator.service._context import BASE, Conditions, Context, key
from batch_emulator.service._jobs import JobService
from batch_emulator.service._schedules import JobScheduleService
from batch_emulator.service._statistics import count_completion

__all__ = ["ServiceRuntime"]

_READY_NODE_STATES = frozenset({"idle", "running"})


class ServiceRuntime:
    """Implements :class:`batch_emulator.engine.Runtime` over the account's store."""

    def __init__(self, ctx: Context, jobs: JobService, schedules: JobScheduleService) -> None:
        self._ctx = ctx
        self._jobs = jobs
        self._schedules = schedules

    # -- reads -------------------------------------------------------------------

    def schedulable(self, job_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        store = self._ctx.store
        job = store.get("job", "", key(job_id))
        if job is None or job["state"] != "active":
            return None
        pool_id = job["poolInfo"].get("poolId")
        pool = None if pool_id is None else store.get("pool", "", key(pool_id))
        if pool is None or pool["state"] != "active":
            return job, []
        nodes = []
        for row in store.list("node", key(pool_id)):
            node = row.body
            if node["state"] in _READY_NODE_STATES and node["schedulingState"] == "enabled":
                node["_poolId"] = pool["id"]
                node["_slots"] = int(pool.get("taskSlotsPerNode", 1))
                node["_fill"] = pool.get("taskSchedulingPolicy", {}).get("nodeFillType", "spread")
                nodes.append(node)
        return job, nodes

    def pending_tasks(self, job_id: str, task_ids: list[str] | None) -> list[dict[str, Any]]:
        store = self._ctx.store
        if task_ids is None:
            bodies = [row.body for row in store.list("task", key(job_id))]
        else:
            keys = [key(t) for t in task_ids]
            found = store.get_many("task", key(job_id), keys)
            bodies = [found[k] for k in dict.fromkeys(keys) if k in found]
        return [b for b in bodies if b["state"] == "active"]

    def jobs_on_pool(self, pool_id: str) -> list[str]:
        return [
            row.body["id"]
            for row in self._ctx.store.list("job", "")
            if row.body["state"] == "active"
            and key(str(row.body["poolInfo"].get("poolId", ""))) == key(pool_id)
        ]

    def preparation_done(self, job_id: str, node_id: str) -> bool:
        record = self._ctx.store.get("prep", key(job_id), key(node_id))
        if record is None or record.get("_reimaged") or record.get("_rerun"):
            return False
        info = record.get("jobPreparationTaskExecutionInfo", {})
        return bool(info.get("state") == "completed")

    def release_nodes(self, job_id: str) -> list[tuple[str, str]]:
        store = self._ctx.store
        job = store.get("job", "", key(job_id))
        if job is None or "jobReleaseTask" not in job:
            return []
        out = []
        for row in store.list("prep", key(job_id)):
            record = row.body
            prep = record.get("jobPreparationTaskExecutionInfo", {})
            ran = record.get("_tasksRan", True)
            if prep.get("state") == "completed" and ran and not record.get("_reimaged"):
                out.append((str(record["poolId"]), str(record["nodeId"])))
        return out

    def pending_releases(self, job_id: str) -> list[tuple[str, str]]:
        """Release nodes whose release task has not completed (yet, or since a reboot)."""
        store = self._ctx.store
        out = []
        for pool_id, node_id in self.release_nodes(job_id):
            record = store.get("prep", key(job_id), key(node_id)) or {}
            if record.get("jobReleaseTaskExecutionInfo", {}).get("state") != "completed":
                out.append((pool_id, node_id))
        return out

    def retained(self) -> list[tuple[str, str, str, str, str, str]]:
        """Completed task directories still on nodes: (pool, node, job, task, end time,
        retention), so a restarted engine removes them on time."""
        store = self._ctx.store
        out = []
        for job_row in store.list("job", ""):
            job = job_row.body
            for row in store.list("task", key(job["id"])):
                task, where = row.body, row.body.get("nodeInfo")
                end = task.get("executionInfo", {}).get("endTime")
                if task["state"] == "completed" and where is not None and end is not None:
                    retention = str(task.get("constraints", {}).get("retentionTime", "P7D"))
                    out.append(
                        (where["poolId"], where["nodeId"], job["id"], task["id"], end, retention)
                    )
            for row in store.list("prep", key(job["id"])):
                record = row.body
                for name, spec, default in (
                    ("jobPreparationTaskExecutionInfo", "jobPreparationTask", "P7D"),
                    ("jobReleaseTaskExecutionInfo", "jobReleaseTask", "P7D"),
                ):
                    info, special = record.get(name, {}), job.get(spec, {})
                    if info.get("state") == "completed" and "endTime" in info:
                        holder = (
                            special if spec == "jobReleaseTask" else special.get("constraints", {})
                        )
                        retention = str(holder.get("retentionTime", default))
                        out.append(
                            (
                                record["poolId"],
                                record["nodeId"],
                                job["id"],
                                special["id"],
                                info["endTime"],
                                retention,
                            )
                        )
        return out

    def get_job(self, job_id: str) -> dict[str, Any] | None:
        return self._ctx.store.get("job", "", key(job_id))

    def get_task(self, job_id: str, task_id: str) -> dict[str, Any] | None:
        return self._ctx.store.get("task", key(job_id), key(task_id))

    def get_node(self, pool_id: str, node_id: str) -> dict[str, Any] | None:
        return self._ctx.store.get("node", key(pool_id), key(node_id))

    def jobs_in_state(self, state: str) -> list[str]:
        return [r.body["id"] for r in self._ctx.store.list("job", "") if r.body["state"] == state]

    # -- preparation and release ------------------------------------------------

    def _record(self, job_id: str, pool_id: str, node_id: str) -> dict[str, Any]:
        found = self._ctx.store.get("prep", key(job_id), key(node_id))
        return found or {
            "poolId": pool_id,
            "nodeId": node_id,
            "nodeUrl": f"{BASE}/pools/{pool_id}/nodes/{node_id}",
        }

    def _execution(
        self,
        info: dict[str, Any],
        job_id: str,
        pool_id: str,
        node_id: str,
        task_id: str,
        state: str,
        exit_code: int | None,
    ) -> dict[str, Any]:
        now = iso(self._ctx.now())
        if state == "running":
            root = f"workitems/{job_id}/job-1/{task_id}"
            return {
                "state": "running",
                "startTime": now,
                "taskRootDirectory": root,
                "taskRootDirectoryUrl": f"{BASE}/pools/{pool_id}/nodes/{node_id}/files/{root}",
                **info,
            }
        done = {**info, "state": state, "endTime": now}
        if exit_code is not None:
            done["exitCode"] = exit_code
            done["result"] = "success" if exit_code == 0 else "failure"
        return done

    def record_preparation(self, job_id: str, execution: Execution) -> None:
        self._record_special(job_id, "jobPreparationTask", execution)

    def record_release(self, job_id: str, execution: Execution) -> None:
        self._record_special(job_id, "jobReleaseTask", execution)

    def _record_special(self, job_id: str, spec: str, execution: Execution) -> None:
        """The job's ``spec`` task (``jobPreparationTask`` or ``jobReleaseTask``) moved to
        ``state`` on a node: update its execution info in the node's record. A preparation
        also starts the record's cycle afresh (no release yet, no task ran yet)."""
        pool_id, node_id, state = execution.pool_id, execution.node_id, execution.state
        preparation = spec == "jobPreparationTask"
        name = f"{spec}ExecutionInfo"
        initial: dict[str, Any] = {"retryCount": 0} if preparation else {}
        ctx = self._ctx
        with ctx.lock:
            job = ctx.load("job", "", job_id)
            record = self._record(job_id, pool_id, node_id)
            if preparation:
                record.pop("_reimaged", None)
                record.pop("_rerun", None)
                record.setdefault("_tasksRan", False)
            info = self._execution(
                record.get(name, {}) if state != "running" else initial,
                job["id"],
                pool_id,
                node_id,
                job[spec]["id"],
                state,
                execution.exit_code,
            )
            for field, value in initial.items():
                info.setdefault(field, value)
            info.update(execution.extra or {})
            record[name] = info
            if preparation:
                record.pop("jobReleaseTaskExecutionInfo", None)
            ctx.store.put("prep", key(job_id), key(node_id), record)

    # -- tasks -------------------------------------------------------------------

    def start_task(
        self, job_id: str, task_id: str, pool_id: str, node_id: str, state: str = "running"
    ) -> None:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            task = ctx.load("task", key(job_id), task_id)
            node = ctx.load("node", key(pool_id), node_id)
            self._start_on(task, job_id, pool_id, node, state)
            ctx.save("task", key(job_id), task)
            ctx.save("node", key(pool_id), node)
            if state == "running":
                self._mark_ran(job_id, node_id)

    def _start_on(
        self, task: dict[str, Any], job_id: str, pool_id: str, node: dict[str, Any], state: str
    ) -> None:
        """Move a task (body) onto a node (body) in ``state``; stamps the task."""
        ctx = self._ctx
        now = ctx.now()
        states.move(states.TASK, task, state, now)
        root = f"workitems/{job_id}/job-1/{task['id']}"
        task["nodeInfo"] = {
            "affinityId": node["affinityId"],
            "nodeUrl": node["url"],
            "poolId": pool_id,
            "nodeId": node["id"],
            "taskRootDirectory": root,
            "taskRootDirectoryUrl": f"{node['url']}/files/{root}",
        }
        task["executionInfo"]["startTime"] = iso(now)
        ctx.stamp(task, now)
        slots = int(task.get("requiredSlots", 1))
        if node["state"] == "idle":
            states.move(states.NODE, node, "running", now, keep_previous=False)
        node["runningTasksCount"] += 1
        node["runningTaskSlotsCount"] += slots
        node["totalTasksRun"] += 1

    def complete_task(
        self,
        job_id: str,
        task_id: str,
        exit_code: int | None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            task = ctx.load("task", key(job_id), task_id)
            where = task.get("nodeInfo")
            node = None
            if where is not None:
                node = ctx.store.get("node", key(where["poolId"]), key(where["nodeId"]))
            self._complete_on(task, node, exit_code, extra)
            ctx.save("task", key(job_id), task)
            if node is not None and where is not None:
                ctx.save("node", key(where["poolId"]), node)
            job = ctx.load("job", "", job_id)
            count_completion(job, task)
            ctx.save("job", "", job)
        manager = job.get("jobManagerTask")
        if (
            manager is not None
            and key(manager["id"]) == key(task_id)
            and manager.get("killJobOnCompletion", True)
            and job["state"] == "active"
        ):
            self._jobs.terminate(job_id, None, Conditions(), reason="JMComplete")
        else:
            self._jobs.check_all_complete(job_id)

    def _complete_on(
        self,
        task: dict[str, Any],
        node: dict[str, Any] | None,
        exit_code: int | None,
        extra: dict[str, Any] | None,
    ) -> None:
        """Complete a task (body) and free its slots on its node (body, if any); stamps
        the task."""
        ctx = self._ctx
        now = ctx.now()
        states.move(states.TASK, task, "completed", now)
        info = task["executionInfo"]
        info["endTime"] = iso(now)
        if exit_code is not None:
            info["exitCode"] = exit_code
        info.update(extra or {})
        failed = exit_code != 0 or "failureInfo" in info
        info["result"] = "failure" if failed else "success"
        ctx.stamp(task, now)
        if node is not None:
            node["runningTasksCount"] = max(0, node["runningTasksCount"] - 1)
            node["runningTaskSlotsCount"] = max(
                0, node["runningTaskSlotsCount"] - int(task.get("requiredSlots", 1))
            )
            node["totalTasksSucceeded"] += 0 if failed else 1
            if node["runningTasksCount"] == 0 and node["state"] == "running":
                states.move(states.NODE, node, "idle", now, keep_previous=False)

    def complete_instantly(self, job_id: str, placements: list[tuple[str, str, str]]) -> None:
        """Run tasks to completion at once, in order: each ``(task id, pool id, node id)``
        starts on its node (after the job's preparation task, the first time on a node)
        and completes with exit code 0, exactly as :meth:`start_task` then
        :meth:`complete_task` would leave it, but with the job and the nodes loaded and
        saved once and the tasks in one statement. A task that is no longer active is
        skipped. Not for the job's Job Manager task (its completion ends the job): use
        the per-task verbs for that one."""
        ctx = self._ctx
        job_key = key(job_id)
        with ctx.lock, ctx.store.transaction():
            job = ctx.load("job", "", job_id)
            has_preparation = "jobPreparationTask" in job
            tasks = ctx.store.get_many("task", job_key, [key(t) for t, _, _ in placements])
            nodes: dict[tuple[str, str], dict[str, Any]] = {}
            ran: set[str] = set()
            done: list[tuple[str, dict[str, Any]]] = []
            for task_id, pool_id, node_id in placements:
                task = tasks.get(key(task_id))
                if task is None or task["state"] != "active":
                    continue
                where = (key(pool_id), key(node_id))
                node = nodes.get(where)
                if node is None:
                    node = nodes[where] = ctx.load("node", where[0], node_id)
                if node_id not in ran:
                    if has_preparation and not self.preparation_done(job_id, node_id):
                        self.record_preparation(job_id, Execution(pool_id, node_id, "running"))
                        self.record_preparation(job_id, Execution(pool_id, node_id, "completed", 0))
                    self._mark_ran(job_id, node_id)
                    ran.add(node_id)
                self._start_on(task, job_id, pool_id, node, "running")
                self._complete_on(task, node, 0, None)
                count_completion(job, task)
                done.append((key(task["id"]), task))
            ctx.store.replace_many("task", job_key, done)
            for (pool_key, _), node in nodes.items():
                ctx.save("node", pool_key, node)
            if done:
                ctx.save("job", "", job)
        if done:
            self._jobs.check_all_complete(job_id)

    def claim_task(
        self, job_id: str, task_id: str, pool_id: str, node_id: str, state: str
    ) -> dict[str, Any] | None:
        """Move an active task to ``preparing`` or ``running`` on a node; None if not active."""
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = ctx.store.get("job", "", key(job_id))
            task = ctx.store.get("task", key(job_id), key(task_id))
            if job is None or job["state"] != "active":
                return None
            if task is None or task["state"] != "active":
                return None
            self.start_task(job_id, task_id, pool_id, node_id, state)
            return ctx.load("task", key(job_id), task_id)

    def _mark_ran(self, job_id: str, node_id: str) -> None:
        """A task of the job ran on the node: its release task will run there."""
        record = self._ctx.store.get("prep", key(job_id), key(node_id))
        if record is not None and not record.get("_tasksRan", True):
            record["_tasksRan"] = True
            self._ctx.store.put("prep", key(job_id), key(node_id), record)

    def task_running(self, job_id: str, task_id: str, retry: bool) -> datetime | None:
        """The task's process starts (after preparation, or again for a retry): the start
        time recorded, from which its maximum wall clock time counts; None if the task is
        no longer preparing or running."""
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            task = ctx.store.get("task", key(job_id), key(task_id))
            if task is None or task["state"] not in {"preparing", "running"}:
                return None
            now = ctx.now()
            states.move(states.TASK, task, "running", now)
            info = task["executionInfo"]
            info["startTime"] = iso(now)
            if retry:
                info["retryCount"] = int(info.get("retryCount", 0)) + 1
                info["lastRetryTime"] = iso(now)
            if "nodeInfo" in task:
                self._mark_ran(job_id, str(task["nodeInfo"]["nodeId"]))
            ctx.stamp(task)
            ctx.save("task", key(job_id), task)
            return now

    def requeue_task(self, job_id: str, task_id: str, pool_id: str, node_id: str) -> None:
        """Put a task interrupted by a node reboot or reimage back in the queue."""
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            task = ctx.store.get("task", key(job_id), key(task_id))
            if task is not None and task["state"] in {"preparing", "running"}:
                now = ctx.now()
                states.move(states.TASK, task, "active", now)
                info = task["executionInfo"]
                info["requeueCount"] = int(info.get("requeueCount", 0)) + 1
                info["lastRequeueTime"] = iso(now)
                info.pop("startTime", None)
                task.pop("nodeInfo", None)
                ctx.stamp(task)
                ctx.save("task", key(job_id), task)
            self.free_slots(pool_id, node_id, int((task or {}).get("requiredSlots", 1)))

    def free_slots(self, pool_id: str, node_id: str, slots: int) -> None:
        """A task the service already ended (terminate, disable) stopped on its node."""
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            node = ctx.store.get("node", key(pool_id), key(node_id))
            if node is None or node["runningTasksCount"] == 0:
                return
            node["runningTasksCount"] -= 1
            node["runningTaskSlotsCount"] = max(0, node["runningTaskSlotsCount"] - slots)
            if node["runningTasksCount"] == 0 and node["state"] == "running":
                states.move(states.NODE, node, "idle", ctx.now(), keep_previous=False)
            ctx.save("node", key(pool_id), node)

    def forget_preparation(self, job_id: str, node_id: str) -> None:
        """A preparation task interrupted before it completed: it runs again first."""
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            record = ctx.store.get("prep", key(job_id), key(node_id))
            if record is not None:
                record["_rerun"] = True
                ctx.store.put("prep", key(job_id), key(node_id), record)

    def apply_job_action(self, job_id: str, action: str) -> None:
        """A failed task's ``jobAction``, when the job's ``onTaskFailure`` asks for it."""
        job = self._ctx.store.get("job", "", key(job_id))
        if job is None or job["state"] != "active":
            return
        if job.get("onTaskFailure") != "performexitoptionsjobaction":
            return
        if action == "terminate":
            self._jobs.terminate(job_id, None, Conditions(), reason="TaskFailed")
        elif action == "disable":
            self._jobs.disable(job_id, {"disableTasks": "requeue"}, Conditions())

    def expire_job(self, job_id: str) -> None:
        """The job's maximum wall clock time passed while it was still active."""
        job = self._ctx.store.get("job", "", key(job_id))
        if job is not None and job["state"] in {"active", "disabling", "disabled", "enabling"}:
            self._jobs.terminate(job_id, None, Conditions(), reason="MaxWallClockTimeExpiry")

    def recover(self) -> None:
        """After a restart, every node rebooted: requeue interrupted tasks, nodes idle."""
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            now = ctx.now()
            for job in ctx.store.list("job", ""):
                job_key = key(job.body["id"])
                for row in ctx.store.list("task", job_key):
                    task = row.body
                    if task["state"] in {"preparing", "running"}:
                        states.move(states.TASK, task, "active", now)
                        info = task["executionInfo"]
                        info["requeueCount"] = int(info.get("requeueCount", 0)) + 1
                        info["lastRequeueTime"] = iso(now)
                        task.pop("nodeInfo", None)
                        ctx.stamp(task)
                        ctx.save("task", job_key, task)
                for row in ctx.store.list("prep", job_key):
                    record = row.body
                    prep = record.get("jobPreparationTaskExecutionInfo", {})
                    rerun = job.body.get("jobPreparationTask", {}).get(
                        "rerunOnNodeRebootAfterSuccess", True
                    )
                    if prep.get("state") == "running" or rerun:
                        record["_rerun"] = True
                        ctx.store.put("prep", job_key, key(record["nodeId"]), record)
            for pool in ctx.store.list("pool", ""):
                for row in ctx.store.list("node", key(pool.body["id"])):
                    node = row.body
                    node.update(runningTasksCount=0, runningTaskSlotsCount=0, lastBootTime=iso(now))
                    if node["state"] != "idle":
                        node["state"] = "idle"
                        node["stateTransitionTime"] = iso(now)
                    ctx.save("node", key(pool.body["id"]), node)

    # -- endings -----------------------------------------------------------------

    def finish_job_termination(self, job_id: str) -> None:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = ctx.store.get("job", "", key(job_id))
            if job is None or job["state"] != "terminating":
                return
            states.move(states.JOB, job, "completed", ctx.now())
            job["executionInfo"]["endTime"] = iso(ctx.now())
            ctx.stamp(job)
            ctx.save("job", "", job)
        self._job_ended(job)

    def finish_job_deletion(self, job_id: str) -> None:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            job = ctx.store.get("job", "", key(job_id))
            ctx.store.delete_children("task", key(job_id))
            ctx.store.delete_children("prep", key(job_id))
            ctx.store.delete("job", "", key(job_id))
        if job is not None:
            self._job_ended(job)

    def _job_ended(self, job: dict[str, Any]) -> None:
        """A schedule's job completed or is gone: its next recurrence may come."""
        schedule_id = job.get("_scheduleId")
        if schedule_id is not None:
            self._schedules.evaluate(str(schedule_id))

    # -- job schedules -----------------------------------------------------------

    def run_job_schedule(self, schedule_id: str) -> None:
        self._schedules.evaluate(schedule_id)

    def resume_job_schedules(self) -> None:
        self._schedules.resume()

    def finish_node_restart(self, pool_id: str, node_id: str) -> None:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            node = ctx.store.get("node", key(pool_id), key(node_id))
            if node is None:
                return
            if node["state"] == "rebooting":
                self._rerun_preparations(node_id)
            now = ctx.now()
            states.move(states.NODE, node, "idle", now, keep_previous=False)
            node["lastBootTime"] = iso(now)
            node["runningTasksCount"] = 0
            node["runningTaskSlotsCount"] = 0
            ctx.save("node", key(pool_id), node)

    def _rerun_preparations(self, node_id: str) -> None:
        """``rerunOnNodeRebootAfterSuccess``: preparation runs again after a reboot."""
        store = self._ctx.store
        for job in store.list("job", ""):
            record = store.get("prep", key(job.body["id"]), key(node_id))
            prep = job.body.get("jobPreparationTask", {})
            if record is not None and prep.get("rerunOnNodeRebootAfterSuccess", True):
                record["_rerun"] = True
                store.put("prep", key(job.body["id"]), key(node_id), record)

    def finish_pool_deletion(self, pool_id: str) -> None:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            ctx.store.delete_children("node", key(pool_id))
            ctx.store.delete("pool", "", key(pool_id))
