"""Between a ``BatchJobSchedule``'s flat, snake_case properties and the typed schedule
arguments: REST bodies and read-back, as ``_spec_bridge`` does for a job.

The resource's properties are ``BatchJobScheduleArgs.to_inputs()`` with ``id`` renamed
``schedule_id``, plus resource settings and, in outputs, what the service reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from ..args._errors import SerializationError
from ..args._schedule import (
    BatchJobScheduleArgs,
    job_schedule_create_request,
    validate_job_schedule,
)
from ..core._diff_plan import SCHEDULE_COMPUTED, SCHEDULE_SETTINGS, SCHEDULE_TOGGLES
from ..core._errors import BatchJobError
from ..core._stamp import without_create_token
from ..validation._errors import ValidationError
from ._props import BatchJobScheduleState
from ._spec_bridge import project, read_spec, spec_of, without_service_defaults

#: Properties of the resource that are not part of the schedule's specification.
SETTINGS = SCHEDULE_SETTINGS | SCHEDULE_TOGGLES | {"endpoint", "account_name"}
#: Outputs reported by the service (and the create marker), never inputs.
COMPUTED_OUTPUTS = SCHEDULE_COMPUTED - {"schedule_id_generated"}
#: Wire names a job has and a job specification does not: refused, with the reason.
_REFUSED_IN_JOB_SPECIFICATION = {
    "tasks": "jobSpecification.tasks: a job schedule's jobs have no initial tasks; their Job "
    "Manager Task (jobSpecification.jobManagerTask) adds them",
}


def schedule_spec(props: Mapping[str, Any]) -> dict[str, Any]:
    """The attribute-keyed schedule specification inside the resource's properties."""
    return spec_of(props, SETTINGS | COMPUTED_OUTPUTS | {"schedule_id_generated"}, "schedule_id")


def _renamed(error: ValidationError) -> ValidationError:
    path = error.path
    if path == "id" or path.startswith("id."):
        path = "schedule_id" + path[2:]
    return ValidationError(path, error.message, error.value)


def validate(props: Mapping[str, Any], now: datetime | None) -> list[ValidationError]:
    """Every plan-time rule over the resource's properties; unknown values are skipped."""
    return [_renamed(e) for e in validate_job_schedule(schedule_spec(props), now=now)]


def refused(wire: Mapping[str, Any]) -> list[str]:
    """What a program in another language sent that a job schedule refuses, said why."""
    spec = wire.get("jobSpecification")
    if not isinstance(spec, Mapping):
        return []
    return [reason for key, reason in _REFUSED_IN_JOB_SPECIFICATION.items() if key in spec]


def to_rest(props: Mapping[str, Any]) -> dict[str, Any]:
    """The REST body of Create Job Schedule."""
    try:
        return job_schedule_create_request(schedule_spec(props))
    except SerializationError as exc:
        raise BatchJobError(f"the job schedule specification cannot be sent: {exc}") from None


def rest_key(attr: str) -> str:
    """The REST key of a job schedule attribute."""
    return BatchJobScheduleArgs.rest_key(attr)


def observed_outputs(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """The service-reported facts about a schedule, keyed as the resource's outputs."""
    info = schedule.get("executionInfo") or {}
    found = {
        "url": schedule.get("url"),
        "etag": schedule.get("eTag"),
        "state": schedule.get("state"),
        "creation_time": schedule.get("creationTime"),
        "last_modified": schedule.get("lastModified"),
        "next_run_time": info.get("nextRunTime"),
        "recent_job_id": (info.get("recentJob") or {}).get("id"),
    }
    return {k: v for k, v in found.items() if v is not None}


def service_spec(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """The schedule specification the service reports (without the provider's metadata
    entries), attribute-keyed like the inputs."""
    own = {**schedule, "metadata": without_create_token(schedule.get("metadata"))}
    return read_spec(BatchJobScheduleArgs, own, "schedule_id")


def imported_spec(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """What a declaration of an existing schedule says (``pulumi import``): its
    specification without the values Batch fills in for what was left unset."""
    spec = service_spec(schedule)
    jobs = spec.get("job_specification")
    if isinstance(jobs, Mapping):
        spec["job_specification"] = without_service_defaults(jobs)
    if not spec.get("metadata"):
        spec.pop("metadata", None)
    if schedule.get("state") == "disabled":
        spec["enabled"] = False
    return spec


def merge_observed(props: BatchJobScheduleState, schedule: Mapping[str, Any]) -> Any:
    """``props`` with the specification replaced by what the service reports: declared
    properties take the service's values (out-of-band changes show as drift), metadata
    added out of band appears; ``enabled`` follows the schedule's state."""
    observed = service_spec(schedule)
    merged: dict[str, Any] = dict(props)
    for key, value in observed.items():
        if key == "schedule_id":
            continue
        if props.get(key) is not None:
            merged[key] = project(props.get(key), value)
        elif key == "metadata" and value:
            merged[key] = value
    if props.get("metadata") and not observed.get("metadata"):
        merged["metadata"] = None
    state = schedule.get("state")
    if state == "disabled":
        merged["enabled"] = False
    elif state == "active" and props.get("enabled") is False:
        merged["enabled"] = True
    return cast(BatchJobScheduleState, merged)
