"""Batch's documented rules beyond the schema: ids, ranges, the Job Release Task limits."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from batch_emulator.clock import parse_duration
from batch_emulator.errors import BatchError, invalid_property

__all__ = [
    "DEFAULT_PREPARATION_ID",
    "DEFAULT_RELEASE_ID",
    "check_id",
    "check_job",
    "check_job_schedule",
    "check_job_update",
    "check_pool",
    "check_task",
]

DEFAULT_PREPARATION_ID = "jobpreparation"
DEFAULT_RELEASE_ID = "jobrelease"
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MAX_RELEASE_WALL_CLOCK = timedelta(minutes=15)


def check_id(path: str, value: str) -> None:
    if not _ID.match(value):
        raise invalid_property(
            path,
            value,
            "The id can contain any combination of alphanumeric characters including hyphens "
            "and underscores, and cannot contain more than 64 characters.",
        )


def _positive_durations(path: str, body: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        text = body.get(name)
        if text is None:
            continue
        delta = parse_duration(str(text))
        if delta is None or delta <= timedelta(0):
            raise invalid_property(f"{path}.{name}", text, "The duration must be positive.")


def _check_task_common(path: str, task: dict[str, Any]) -> None:
    if "id" in task:
        check_id(f"{path}.id" if path else "id", str(task["id"]))
    command = task.get("commandLine")
    if command is not None and not str(command).strip():
        name = f"{path}.commandLine" if path else "commandLine"
        raise invalid_property(name, command, "The command line must not be empty.")
    for i, setting in enumerate(task.get("environmentSettings", [])):
        if not str(setting.get("name", "")).strip():
            prefix = f"{path}." if path else ""
            raise invalid_property(
                f"{prefix}environmentSettings[{i}].name", setting.get("name"), "Empty name."
            )
    for i, rf in enumerate(task.get("resourceFiles", [])):
        _check_resource_file(f"{path}.resourceFiles[{i}]" if path else f"resourceFiles[{i}]", rf)
    identity = task.get("userIdentity")
    if identity and "username" in identity and "autoUser" in identity:
        raise invalid_property(
            f"{path}.userIdentity" if path else "userIdentity",
            identity,
            "The userName and autoUser properties are mutually exclusive.",
        )


def _check_resource_file(path: str, rf: dict[str, Any]) -> None:
    sources = [k for k in ("autoStorageContainerName", "storageContainerUrl", "httpUrl") if k in rf]
    if len(sources) != 1:
        raise invalid_property(
            path,
            rf,
            "Exactly one of autoStorageContainerName, storageContainerUrl and httpUrl must be "
            "specified.",
        )
    file_path = rf.get("filePath")
    if sources[0] == "httpUrl" and not file_path:
        raise BatchError(
            400,
            "MissingRequiredProperty",
            "A required property was not specified in the request body.",
            {"PropertyName": f"{path}.filePath"},
        )
    if file_path and (file_path.startswith(("/", "\\")) or ".." in re.split(r"[\\/]", file_path)):
        raise invalid_property(
            f"{path}.filePath", file_path, "The file path must be relative and stay inside."
        )
    mode = rf.get("fileMode")
    if mode is not None and not re.fullmatch(r"[0-7]{3,4}", str(mode)):
        raise invalid_property(f"{path}.fileMode", mode, "The file mode must be octal.")


def _check_priority(path: str, value: Any) -> None:
    if value is not None and not -1000 <= int(value) <= 1000:
        raise invalid_property(path, value, "The priority must be between -1000 and 1000.")


def _check_max_parallel(path: str, value: Any) -> None:
    if value is not None and int(value) != -1 and int(value) < 1:
        raise invalid_property(path, value, "maxParallelTasks must be -1 or at least 1.")


def check_job(job: dict[str, Any]) -> None:
    """Rules for a job as created (POST) or replaced (PUT, with ``id`` absent)."""
    if "id" in job:
        check_id("id", str(job["id"]))
    if len(str(job.get("displayName", ""))) > 1024:
        raise invalid_property("displayName", job["displayName"], "At most 1024 characters.")
    _check_priority("priority", job.get("priority"))
    _check_max_parallel("maxParallelTasks", job.get("maxParallelTasks"))
    pool_info = job.get("poolInfo")
    if pool_info is not None:
        _check_pool_info("poolInfo", pool_info)
    _positive_durations("constraints", job.get("constraints") or {}, ("maxWallClockTime",))
    manager = job.get("jobManagerTask")
    prep = job.get("jobPreparationTask")
    release = job.get("jobReleaseTask")
    for name, task in (("jobManagerTask", manager), ("jobPreparationTask", prep)):
        if task is not None:
            _check_task_common(name, task)
    if release is not None:
        _check_task_common("jobReleaseTask", release)
        if prep is None:
            raise invalid_property(
                "jobPreparationTask",
                None,
                "A Job Release Task cannot be specified without also specifying a Job "
                "Preparation Task for the Job.",
            )
        _positive_durations("jobReleaseTask", release, ("maxWallClockTime", "retentionTime"))
        wall = parse_duration(str(release.get("maxWallClockTime", "PT15M")))
        if wall is not None and wall > _MAX_RELEASE_WALL_CLOCK:
            raise invalid_property(
                "jobReleaseTask.maxWallClockTime",
                release["maxWallClockTime"],
                "The maximum wall clock time of a Job Release Task must not exceed 15 minutes.",
            )
    ids: dict[str, str] = {}
    for name, task, default in (
        ("jobManagerTask", manager, None),
        ("jobPreparationTask", prep, DEFAULT_PREPARATION_ID),
        ("jobReleaseTask", release, DEFAULT_RELEASE_ID),
    ):
        if task is not None:
            task_id = str(task.get("id", default)).lower()
            if task_id in ids:
                raise invalid_property(
                    f"{name}.id", task_id, f"The id is the same as the {ids[task_id]}'s id."
                )
            ids[task_id] = name
    for i, setting in enumerate(job.get("commonEnvironmentSettings", [])):
        if not str(setting.get("name", "")).strip():
            raise invalid_property(
                f"commonEnvironmentSettings[{i}].name", setting.get("name"), "Empty name."
            )


def check_job_update(patch: dict[str, Any]) -> None:
    _check_priority("priority", patch.get("priority"))
    _check_max_parallel("maxParallelTasks", patch.get("maxParallelTasks"))
    _positive_durations("constraints", patch.get("constraints") or {}, ("maxWallClockTime",))
    if "poolInfo" in patch:
        _check_pool_info("poolInfo", patch["poolInfo"])


_MIN_RECURRENCE = timedelta(minutes=1)


def check_job_schedule(schedule: dict[str, Any], *, create: bool) -> None:
    """A job schedule as created (POST), replaced (PUT) or patched (``create``: its id)."""
    if create:
        check_id("id", str(schedule["id"]))
    if len(str(schedule.get("displayName", ""))) > 1024:
        raise invalid_property("displayName", schedule["displayName"], "At most 1024 characters.")
    timing = schedule.get("schedule") or {}
    for name in ("recurrenceInterval", "startWindow"):
        text = timing.get(name)
        delta = None if text is None else parse_duration(str(text))
        if text is not None and (delta is None or delta < _MIN_RECURRENCE):
            raise invalid_property(f"schedule.{name}", text, "The minimum value is 1 minute.")
    if "jobSpecification" in schedule:
        check_job(schedule["jobSpecification"])


def _check_pool_info(path: str, info: dict[str, Any]) -> None:
    given = [k for k in ("poolId", "autoPoolSpecification") if k in info]
    if len(given) != 1:
        raise invalid_property(
            path, info, "Exactly one of poolId and autoPoolSpecification must be specified."
        )
    if "poolId" in info:
        check_id(f"{path}.poolId", str(info["poolId"]))


def check_task(task: dict[str, Any]) -> None:
    _check_task_common("", task)
    slots = task.get("requiredSlots")
    if slots is not None and int(slots) < 1:
        raise invalid_property("requiredSlots", slots, "requiredSlots must be at least 1.")
    _positive_durations(
        "constraints", task.get("constraints") or {}, ("maxWallClockTime", "retentionTime")
    )


def check_pool(pool: dict[str, Any]) -> None:
    check_id("id", str(pool["id"]))
    for name in ("targetDedicatedNodes", "targetLowPriorityNodes"):
        value = pool.get(name)
        if value is not None and not 0 <= int(value) <= 1000:
            raise invalid_property(name, value, "The node count must be between 0 and 1000.")
    slots = pool.get("taskSlotsPerNode")
    if slots is not None and not 1 <= int(slots) <= 256:
        raise invalid_property("taskSlotsPerNode", slots, "Must be between 1 and 256.")
