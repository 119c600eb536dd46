"""Validation of a whole job: its own fields, its tasks, and the rules that span them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._common import (
    validate_environment_settings,
    validate_metadata,
    validate_task_constraints,
)
from ._enums import (
    BatchAllTasksCompleteMode,
    BatchPoolLifetimeOption,
    BatchTaskFailureMode,
)
from ._errors import ValidationError
from ._rules import (
    Errors,
    at,
    check_bool,
    check_display_name,
    check_enum,
    check_id,
    check_int,
    check_list,
    check_mapping,
    check_required_mapping,
    check_text,
    known,
)
from ._tasks import (
    validate_job_manager_task,
    validate_job_preparation_task,
    validate_job_release_task,
    validate_task,
)
from ._values import is_unknown

__all__ = [
    "DEFAULT_PREPARATION_TASK_ID",
    "DEFAULT_RELEASE_TASK_ID",
    "check_distinct_ids",
    "validate_auto_pool_specification",
    "validate_job_constraints",
    "validate_job_fields",
    "validate_job_plain",
    "validate_pool_info",
]

DEFAULT_RELEASE_TASK_ID = "jobrelease"
DEFAULT_PREPARATION_TASK_ID = "jobpreparation"
AUTO_POOL_ID_PREFIX_MAX_LENGTH = 20


def validate_job_constraints(errors: Errors, path: str, value: Any) -> None:
    """A positive wall clock; retry count -1 (unlimited) or more: the task constraints' rules
    (a job's constraints are a task's without retention time)."""
    validate_task_constraints(errors, path, value)


def validate_pool_info(errors: Errors, path: str, value: Any, *, schedule: bool = False) -> None:
    """Exactly one of pool id and auto-pool specification (``schedule``: of a job schedule's
    jobs, whose auto pool may live as long as the schedule)."""
    info = check_required_mapping(errors, path, value)
    if info is None:
        return
    pool_id, auto_pool = info.get("pool_id"), info.get("auto_pool_specification")
    if pool_id is not None and auto_pool is not None:
        errors.append(
            ValidationError(
                path, "pool_id and auto_pool_specification are mutually exclusive", pool_id
            )
        )
    elif pool_id is None and auto_pool is None:
        errors.append(
            ValidationError(path, "must set either pool_id or auto_pool_specification", None)
        )
    if pool_id is not None:
        check_id(errors, at(path, "pool_id"), pool_id)
    if auto_pool is not None:
        validate_auto_pool_specification(
            errors, at(path, "auto_pool_specification"), auto_pool, schedule=schedule
        )


def validate_auto_pool_specification(
    errors: Errors, path: str, value: Any, *, schedule: bool = False
) -> None:
    """A prefix of at most 20 characters and a lifetime of ``job`` (a job is no schedule;
    a schedule's jobs may also use ``jobschedule``)."""
    auto = check_mapping(errors, path, value)
    if auto is None:
        return
    check_text(
        errors,
        at(path, "auto_pool_id_prefix"),
        auto.get("auto_pool_id_prefix"),
        max_length=AUTO_POOL_ID_PREFIX_MAX_LENGTH,
    )
    lifetime = auto.get("pool_lifetime_option")
    if lifetime is None:
        errors.append(ValidationError(at(path, "pool_lifetime_option"), "is required", None))
    else:
        check_enum(
            errors,
            at(path, "pool_lifetime_option"),
            lifetime,
            BatchPoolLifetimeOption,
            exclude=[] if schedule else [BatchPoolLifetimeOption.JOB_SCHEDULE.value],
        )
    check_bool(errors, at(path, "keep_alive"), auto.get("keep_alive"))
    check_mapping(errors, at(path, "pool"), auto.get("pool"))


def _task_ids(job: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(path, id) of every task of the job, in the order the service learns of them."""
    ids: list[tuple[str, Any]] = []
    for name, default in (
        ("job_preparation_task", DEFAULT_PREPARATION_TASK_ID),
        ("job_release_task", DEFAULT_RELEASE_TASK_ID),
        ("job_manager_task", None),
    ):
        task = job.get(name)
        if isinstance(task, Mapping):
            task_id = task.get("id")
            ids.append((at(name, "id"), default if task_id is None else task_id))
    tasks = job.get("tasks")
    if isinstance(tasks, list | tuple):
        for i, task in enumerate(tasks):
            if isinstance(task, Mapping):
                ids.append((at(at("tasks", i), "id"), task.get("id")))
    return ids


def check_distinct_ids(errors: Errors, job: Mapping[str, Any]) -> None:
    """Task ids differ, case-insensitively (the preparation, release and manager tasks' too)."""
    seen: dict[str, tuple[str, str]] = {}
    for path, task_id in _task_ids(job):
        if not known(task_id) or not isinstance(task_id, str):
            continue
        if task_id.lower() in seen:
            other_path, other_id = seen[task_id.lower()]
            errors.append(
                ValidationError(
                    path,
                    f"must differ from {other_path} {other_id!r} (task ids are case-insensitive)",
                    task_id,
                )
            )
        else:
            seen[task_id.lower()] = (path, task_id)


def _check_dependencies(errors: Errors, job: Mapping[str, Any]) -> None:
    enabled = job.get("uses_task_dependencies")
    tasks = job.get("tasks")
    if not isinstance(tasks, list | tuple):
        return
    for i, task in enumerate(tasks):
        if not isinstance(task, Mapping) or not known(task.get("depends_on")):
            continue
        path = at(at("tasks", i), "depends_on")
        if enabled is not True and not is_unknown(enabled):  # absent means false
            errors.append(
                ValidationError(path, "requires uses_task_dependencies to be true", enabled)
            )
        deps, own_id = task["depends_on"], task.get("id")
        if isinstance(deps, Mapping) and isinstance(own_id, str) and known(own_id):
            task_ids = deps.get("task_ids")
            if isinstance(task_ids, list | tuple) and any(
                isinstance(t, str) and t.lower() == own_id.lower() for t in task_ids
            ):
                errors.append(
                    ValidationError(
                        at(path, "task_ids"), "must not include the task itself", own_id
                    )
                )


def _check_manager_and_initial_tasks(errors: Errors, job: Mapping[str, Any]) -> None:
    """A Job Manager Task that ends the job must not race the initial tasks.

    The component adds the initial tasks after the job; with ``kill_job_on_completion``
    true (Batch's default when unset) the service may complete the job as soon as the
    manager completes, and adding the tasks then fails (``JobCompleted``).
    """
    manager, tasks = job.get("job_manager_task"), job.get("tasks")
    if not isinstance(manager, Mapping) or not isinstance(tasks, list | tuple) or not tasks:
        return
    kill = manager.get("kill_job_on_completion")
    if kill is None or kill is True:
        errors.append(
            ValidationError(
                at("job_manager_task", "kill_job_on_completion"),
                "must be false when the job declares initial tasks (Batch ends the job when "
                "its Job Manager Task completes, which can be before the initial tasks are "
                "added; unset means true)",
                kill,
            )
        )


def validate_job_plain(errors: Errors, job: Mapping[str, Any]) -> None:
    """Every plan-time rule of a job given as an attribute-keyed plain mapping."""
    check_id(errors, "id", job.get("id"))
    validate_job_fields(errors, job)
    for i, task in enumerate(check_list(errors, "tasks", job.get("tasks")) or []):
        validate_task(errors, at("tasks", i), task)
    check_distinct_ids(errors, job)
    _check_dependencies(errors, job)
    _check_manager_and_initial_tasks(errors, job)


def validate_job_fields(errors: Errors, job: Mapping[str, Any], *, schedule: bool = False) -> None:
    """The rules of a job's own fields (neither its id nor its tasks): a job's, or a job
    schedule's job specification (``schedule``)."""
    check_display_name(errors, "display_name", job.get("display_name"))
    check_int(errors, "priority", job.get("priority"), minimum=-1000, maximum=1000)
    check_int(
        errors,
        "max_parallel_tasks",
        job.get("max_parallel_tasks"),
        minimum=1,
        allowed=[-1],
        words="must be -1 (no limit) or at least 1",
    )
    check_bool(errors, "allow_task_preemption", job.get("allow_task_preemption"))
    check_bool(errors, "uses_task_dependencies", job.get("uses_task_dependencies"))
    if job.get("constraints") is not None:
        validate_job_constraints(errors, "constraints", job["constraints"])
    if job.get("job_manager_task") is not None:
        validate_job_manager_task(errors, "job_manager_task", job["job_manager_task"])
    if job.get("job_preparation_task") is not None:
        validate_job_preparation_task(errors, "job_preparation_task", job["job_preparation_task"])
    if job.get("job_release_task") is not None:
        validate_job_release_task(errors, "job_release_task", job["job_release_task"])
        if job.get("job_preparation_task") is None:
            errors.append(
                ValidationError(
                    "job_preparation_task", "is required when job_release_task is set", None
                )
            )
    validate_environment_settings(
        errors, "common_environment_settings", job.get("common_environment_settings")
    )
    validate_pool_info(errors, "pool_info", job.get("pool_info"), schedule=schedule)
    check_enum(
        errors, "on_all_tasks_complete", job.get("on_all_tasks_complete"), BatchAllTasksCompleteMode
    )
    check_enum(errors, "on_task_failure", job.get("on_task_failure"), BatchTaskFailureMode)
    validate_metadata(errors, "metadata", job.get("metadata"))
    network = check_mapping(errors, "network_configuration", job.get("network_configuration"))
    if network is not None and network.get("subnetId", network.get("subnet_id")) is None:
        errors.append(ValidationError("network_configuration.subnetId", "is required", None))
