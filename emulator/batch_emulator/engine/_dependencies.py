"""Task dependencies: a task with ``dependsOn`` runs once every task it depends on has
completed and satisfied it.

A dependency satisfies its dependents when it succeeded, or when it failed with an exit
condition whose ``dependencyAction`` is ``satisfy`` (Batch's default is ``satisfy`` for
exit code 0 and ``block`` for everything else). A dependency that does not exist yet
blocks.
"""

from __future__ import annotations

from typing import Any

from batch_emulator.engine._base import Runtime

__all__ = ["dependency_ids", "satisfied"]


def dependency_ids(depends_on: dict[str, Any]) -> list[str]:
    ids = [str(t) for t in depends_on.get("taskIds", [])]
    for span in depends_on.get("taskIdRanges", []):
        ids.extend(str(i) for i in range(int(span["start"]), int(span["end"]) + 1))
    return ids


def _action(task: dict[str, Any]) -> str:
    """The dependency action of a completed task, from its exit conditions."""
    info = task.get("executionInfo", {})
    if info.get("result") == "success":
        return "satisfy"
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
    if options is None:
        options = conditions.get("default")
    return str((options or {}).get("dependencyAction", "block"))


def satisfied(runtime: Runtime, job_id: str, depends_on: dict[str, Any]) -> bool:
    for task_id in dependency_ids(depends_on):
        task = runtime.get_task(job_id, task_id)
        if task is None or task["state"] != "completed" or _action(task) != "satisfy":
            return False
    return True
