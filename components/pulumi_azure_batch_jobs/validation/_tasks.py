"""Validation of the job's tasks: Job Release, Job Preparation, Job Manager and initial tasks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ._common import (
    validate_container_settings,
    validate_environment_settings,
    validate_resource_files,
    validate_task_constraints,
    validate_user_identity,
)
from ._errors import ValidationError
from ._rules import (
    Errors,
    at,
    check_bool,
    check_display_name,
    check_duration,
    check_id,
    check_int,
    check_list,
    check_mapping,
    check_required_text,
    known,
)

__all__ = [
    "RELEASE_MAX_WALL_CLOCK_TIME",
    "validate_job_manager_task",
    "validate_job_preparation_task",
    "validate_job_release_task",
    "validate_task",
    "validate_task_dependencies",
    "validate_task_id_range",
]

RELEASE_MAX_WALL_CLOCK_TIME = timedelta(minutes=15)
TASK_IDS_MAX_TOTAL_LENGTH = 64000  # beyond it the service answers TaskDependencyListTooLong


def _validate_common(errors: Errors, path: str, task: dict[str, Any] | Any) -> None:
    check_required_text(errors, at(path, "command_line"), task.get("command_line"))
    if task.get("container_settings") is not None:
        validate_container_settings(
            errors, at(path, "container_settings"), task["container_settings"]
        )
    validate_resource_files(errors, at(path, "resource_files"), task.get("resource_files"))
    validate_environment_settings(
        errors, at(path, "environment_settings"), task.get("environment_settings")
    )
    if task.get("user_identity") is not None:
        validate_user_identity(errors, at(path, "user_identity"), task["user_identity"])


def validate_job_release_task(errors: Errors, path: str, value: Any) -> None:
    """The seed's rules: optional id, command line, wall clock at most 15 minutes, retention."""
    task = check_mapping(errors, path, value)
    if task is None:
        return
    check_id(errors, at(path, "id"), task.get("id"), required=False)
    _validate_common(errors, path, task)
    check_duration(
        errors,
        at(path, "max_wall_clock_time"),
        task.get("max_wall_clock_time"),
        maximum=RELEASE_MAX_WALL_CLOCK_TIME,
    )
    check_duration(errors, at(path, "retention_time"), task.get("retention_time"))


def validate_job_preparation_task(errors: Errors, path: str, value: Any) -> None:
    """Optional id, command line, constraints and the two flags."""
    task = check_mapping(errors, path, value)
    if task is None:
        return
    check_id(errors, at(path, "id"), task.get("id"), required=False)
    _validate_common(errors, path, task)
    if task.get("constraints") is not None:
        validate_task_constraints(errors, at(path, "constraints"), task["constraints"])
    check_bool(errors, at(path, "wait_for_success"), task.get("wait_for_success"))
    check_bool(
        errors,
        at(path, "rerun_on_node_reboot_after_success"),
        task.get("rerun_on_node_reboot_after_success"),
    )


def _check_slots(errors: Errors, path: str, task: Any) -> None:
    slots = check_int(errors, at(path, "required_slots"), task.get("required_slots"), minimum=1)
    multi = task.get("multi_instance_settings")
    if slots is not None and slots != 1 and known(multi):
        errors.append(
            ValidationError(
                at(path, "required_slots"), "must be 1 for a multi-instance task", slots
            )
        )


def _validate_scheduled(errors: Errors, path: str, value: Any) -> Any:
    """What a task scheduled on slots has (a manager or initial task); returns the mapping."""
    task = check_mapping(errors, path, value)
    if task is None:
        return None
    check_id(errors, at(path, "id"), task.get("id"))
    check_display_name(errors, at(path, "display_name"), task.get("display_name"))
    _validate_common(errors, path, task)
    if task.get("constraints") is not None:
        validate_task_constraints(errors, at(path, "constraints"), task["constraints"])
    _check_slots(errors, path, task)
    return task


def validate_job_manager_task(errors: Errors, path: str, value: Any) -> None:
    """Required id, command line, display name, constraints, slots and flags."""
    task = _validate_scheduled(errors, path, value)
    if task is None:
        return
    for flag in ("kill_job_on_completion", "run_exclusive", "allow_low_priority_node"):
        check_bool(errors, at(path, flag), task.get(flag))


def validate_task_dependencies(errors: Errors, path: str, value: Any) -> None:
    """Task ids and ranges (``start`` at most ``end``)."""
    deps = check_mapping(errors, path, value)
    if deps is None:
        return
    task_ids = check_list(errors, at(path, "task_ids"), deps.get("task_ids")) or []
    for i, task_id in enumerate(task_ids):
        check_id(errors, at(at(path, "task_ids"), i), task_id)
    total = sum(len(t) for t in task_ids if isinstance(t, str) and known(t))
    if total > TASK_IDS_MAX_TOTAL_LENGTH:
        errors.append(
            ValidationError(
                at(path, "task_ids"),
                f"must total at most {TASK_IDS_MAX_TOTAL_LENGTH} characters; use task_id_ranges",
                f"{total} characters",
            )
        )
    ranges_path = at(path, "task_id_ranges")
    for i, item in enumerate(check_list(errors, ranges_path, deps.get("task_id_ranges")) or []):
        validate_task_id_range(errors, at(ranges_path, i), item)


def validate_task_id_range(errors: Errors, path: str, value: Any) -> None:
    """Both bounds required, ``start`` at most ``end``."""
    bounds = check_mapping(errors, path, value)
    if bounds is None:
        return
    start, end = bounds.get("start"), bounds.get("end")
    for name, bound in (("start", start), ("end", end)):
        if bound is None:
            errors.append(ValidationError(at(path, name), "is required", None))
    start = check_int(errors, at(path, "start"), start)
    end = check_int(errors, at(path, "end"), end)
    if start is not None and end is not None and start > end:
        errors.append(ValidationError(at(path, "end"), f"must be at least start ({start})", end))


def validate_task(errors: Errors, path: str, value: Any) -> None:
    """An initial task: required id, command line, constraints, slots and dependencies."""
    task = _validate_scheduled(errors, path, value)
    if task is not None and task.get("depends_on") is not None:
        validate_task_dependencies(errors, at(path, "depends_on"), task["depends_on"])
