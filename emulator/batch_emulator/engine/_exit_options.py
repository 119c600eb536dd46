"""What a completed task's exit conditions say: for its dependents and for its job.

A task with ``dependsOn`` runs once every task it depends on has completed with the
``dependencyAction`` ``satisfy``; a dependency that does not exist yet blocks. When the
job's ``onTaskFailure`` is ``performexitoptionsjobaction``, a failed task's
``jobAction`` (``none``, ``disable`` or ``terminate``) applies to its job. Batch's
defaults: ``satisfy`` and ``none`` for success, ``block`` and ``terminate`` otherwise.
"""

from __future__ import annotations

from typing import Any

from batch_emulator.protocols import AccountReads

__all__ = ["dependency_ids", "job_action", "satisfied"]


def dependency_ids(depends_on: dict[str, Any]) -> list[str]:
    ids = [str(t) for t in depends_on.get("taskIds", [])]
    for span in depends_on.get("taskIdRanges", []):
        ids.extend(str(i) for i in range(int(span["start"]), int(span["end"]) + 1))
    return ids


def _options(task: dict[str, Any]) -> dict[str, Any] | None:
    """The exit options matching a completed task's exit (None: no condition matched)."""
    info = task.get("executionInfo", {})
    conditions = task.get("exitConditions") or {}
    code = info.get("exitCode")
    options: dict[str, Any] | None = None
    if code is None:
        options = conditions.get("preProcessingError")
    else:
        for mapping in conditions.get("exitCodes", []):
            if int(mapping["code"]) == int(code):
                options = mapping.get("exitOptions")
        for span in conditions.get("exitCodeRanges", []):
            if options is None and int(span["start"]) <= int(code) <= int(span["end"]):
                options = span.get("exitOptions")
    return options if options is not None else conditions.get("default")


def _succeeded(task: dict[str, Any]) -> bool:
    return bool(task.get("executionInfo", {}).get("result") == "success")


def _action(task: dict[str, Any]) -> str:
    """The dependency action of a completed task."""
    if _succeeded(task):
        return "satisfy"
    return str((_options(task) or {}).get("dependencyAction", "block"))


def job_action(task: dict[str, Any]) -> str:
    """The job action of a completed task (``none`` when it succeeded)."""
    if _succeeded(task):
        return "none"
    return str((_options(task) or {}).get("jobAction", "terminate"))


def satisfied(runtime: AccountReads, job_id: str, depends_on: dict[str, Any]) -> bool:
    for task_id in dependency_ids(depends_on):
        task = runtime.get_task(job_id, task_id)
        if task is None or task["state"] != "completed" or _action(task) != "satisfy":
            return False
    return True
