"""Between the provider's flat, snake_case properties and the typed job arguments.

The resource's properties are ``BatchJobArgs.to_inputs()`` with ``id`` renamed
``job_id`` (``id`` is reserved by Pulumi), plus resource settings and, in outputs,
what the service reports. This module turns them into REST bodies and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, cast

from ..args._errors import DeserializationError, SerializationError
from ..args._job import BatchJobArgs, job_create_requests, validate_job
from ..args._model import BatchModel
from ..core._diff_plan import COMPUTED, IDENTITY, REPLACING_SETTINGS, RESOURCE_SETTINGS
from ..core._errors import BatchJobError
from ..core._stamp import without_create_token
from ..validation._errors import ValidationError
from ..validation._values import (
    coerce_scalar,
    format_datetime,
    format_duration,
    is_unknown,
    parse_duration,
)
from ._props import BatchJobState

#: Properties of the resource that are not part of the job's specification: the
#: diff table's resource settings and identity, plus the account and the naming flag.
SETTINGS = (
    RESOURCE_SETTINGS
    | REPLACING_SETTINGS
    | IDENTITY
    | {"endpoint", "account_name", "job_id_generated"}
)
#: Outputs reported by the service (and the create marker), never inputs.
COMPUTED_OUTPUTS = COMPUTED - {"job_id_generated"}
#: Batch's values for job properties left unset, as read back from the service.
_SERVICE_DEFAULTS: dict[str, Any] = {
    "priority": 0,
    "max_parallel_tasks": -1,
    "allow_task_preemption": False,
    "uses_task_dependencies": False,
    "on_all_tasks_complete": "noaction",
    "on_task_failure": "noaction",
    "metadata": [],
    "common_environment_settings": [],
}


#: Batch's values for task and constraint properties left unset, as read back (durations as
#: ``timedelta``; "unlimited" is any duration of at least ``_UNLIMITED``).
_UNLIMITED = timedelta(days=10675199)
_NESTED_DEFAULTS: dict[str, dict[str, Any]] = {
    "constraints": {"max_task_retry_count": 0, "max_wall_clock_time": _UNLIMITED},
    "job_preparation_task": {
        "id": "jobpreparation",
        "rerun_on_node_reboot_after_success": True,
        "wait_for_success": True,
    },
    "job_release_task": {
        "id": "jobrelease",
        "max_wall_clock_time": timedelta(minutes=15),
        "retention_time": timedelta(days=7),
    },
}


def _is_default(value: Any, default: Any) -> bool:
    if isinstance(default, timedelta) and isinstance(value, str):
        try:
            parsed = parse_duration(value)
        except ValueError:
            return False
        return parsed >= default if default == _UNLIMITED else parsed == default
    return bool(value == default)


def without_service_defaults(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A job specification read from the service without the values Batch fills in for
    properties left unset: what a declaration of that job says (``pulumi import``)."""
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if key in _SERVICE_DEFAULTS and value == _SERVICE_DEFAULTS[key]:
            continue
        defaults = _NESTED_DEFAULTS.get(key)
        if defaults is not None and isinstance(value, Mapping):
            value = {
                k: v
                for k, v in value.items()
                if k not in defaults or not _is_default(v, defaults[k])
            }
            if not value:
                continue
        out[key] = value
    return out


def _integral(value: Any) -> Any:
    """Numbers come back from Pulumi's wire format as floats; Batch's are all integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: _integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral(v) for v in value]
    return value


def canonical(model: type[BatchModel], value: Any) -> Any:
    """An attribute-keyed value of ``model`` with its durations and date-times as the
    service reads them back (``PT1H`` -> ``PT01H00M00S``), so a declaration in text and the
    refreshed state compare equal; what does not parse is left for validation to report."""
    if not isinstance(value, Mapping):
        return value
    out = dict(value)
    for field in model.fields():
        item = out.get(field.attr)
        if item is None or is_unknown(item):
            continue
        if field.kind in ("duration", "datetime"):
            try:
                out[field.attr] = coerce_scalar(field.kind, item)
            except ValueError:
                continue
            out[field.attr] = (
                format_duration(out[field.attr])
                if field.kind == "duration"
                else format_datetime(out[field.attr])
            )
        elif field.kind == "model" and field.model is not None:
            out[field.attr] = canonical(field.model, item)
        elif field.kind == "models" and field.model is not None and isinstance(item, list):
            out[field.attr] = [canonical(field.model, v) for v in item]
    return out


def spec_of(
    props: Mapping[str, Any], not_spec: frozenset[str] | set[str], id_name: str
) -> dict[str, Any]:
    """The attribute-keyed specification inside a resource's properties: all but
    ``not_spec``, with ``id_name`` (``job_id``, ``schedule_id``) as ``id``."""
    spec = {k: _integral(v) for k, v in props.items() if k not in not_spec and k != "__provider"}
    if id_name in spec:
        spec["id"] = spec.pop(id_name)
    return spec


def job_spec(props: Mapping[str, Any]) -> dict[str, Any]:
    """The attribute-keyed job specification inside the resource's properties."""
    return spec_of(props, SETTINGS | COMPUTED_OUTPUTS, "job_id")


def _renamed(error: ValidationError) -> ValidationError:
    path = error.path
    if path == "id" or path.startswith("id."):
        path = "job_id" + path[2:]
    return ValidationError(path, error.message, error.value)


def validate(props: Mapping[str, Any]) -> list[ValidationError]:
    """Every plan-time rule over the resource's properties; unknown values are skipped."""
    return [_renamed(e) for e in validate_job(job_spec(props))]


def to_rest(props: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The REST bodies of Add Job and of the initial tasks."""
    try:
        return job_create_requests(job_spec(props))
    except SerializationError as exc:
        raise BatchJobError(f"the job specification cannot be sent: {exc}") from None


def rest_key(attr: str) -> str:
    """The REST key of a job attribute."""
    return BatchJobArgs.rest_key(attr)


def observed_outputs(observed: Mapping[str, Any]) -> dict[str, Any]:
    """The service-reported facts about a job, keyed as the resource's outputs."""
    keys = {
        "url": "url",
        "eTag": "etag",
        "state": "state",
        "creationTime": "creation_time",
        "lastModified": "last_modified",
    }
    return {out: observed[rest] for rest, out in keys.items() if observed.get(rest) is not None}


def read_spec(model: type[BatchModel], found: Mapping[str, Any], id_name: str) -> dict[str, Any]:
    """The specification (of ``model``'s fields) a resource's REST JSON reports,
    attribute-keyed like the inputs, its ``id`` as ``id_name``."""
    known = {f.rest_key for f in model.fields() if f.sent}
    try:
        args = model.deserialize({k: v for k, v in found.items() if k in known})
    except DeserializationError:
        return {}
    spec = args.to_inputs()
    if "id" in spec:
        spec[id_name] = spec.pop("id")
    return spec


def service_spec(job: Mapping[str, Any]) -> dict[str, Any]:
    """The job specification the service reports, attribute-keyed like the inputs."""
    return read_spec(BatchJobArgs, job, "job_id")


def project(declared: Any, observed: Any) -> Any:
    """``observed`` restricted to the keys the declaration sets (recursively)."""
    if isinstance(declared, Mapping) and isinstance(observed, Mapping):
        return {k: project(v, observed.get(k)) for k, v in declared.items() if v is not None}
    if isinstance(declared, list) and isinstance(observed, list) and len(declared) == len(observed):
        return [project(d, o) for d, o in zip(declared, observed, strict=True)]
    return observed


def merge_observed_spec(props: BatchJobState, job: Mapping[str, Any]) -> BatchJobState:
    """``props`` with the job's specification replaced by what the service reports.

    Declared properties take the service's values (so out-of-band changes show as drift);
    undeclared ones appear only when the service has something other than Batch's default.
    Initial tasks and resource settings are kept as they were.
    """
    observed = service_spec({**job, "metadata": without_create_token(job.get("metadata"))})
    declared: dict[str, Any] = dict(props)
    merged = dict(declared)
    for key, value in observed.items():
        if declared.get(key) is not None:
            merged[key] = project(declared[key], value)
        elif key in _SERVICE_DEFAULTS and value != _SERVICE_DEFAULTS[key]:
            merged[key] = value
    for key in list(merged):
        if key in _SERVICE_DEFAULTS and declared.get(key) is not None and key not in observed:
            merged[key] = None
    return cast(BatchJobState, merged)


def spec_differences(props: Mapping[str, Any], existing: Mapping[str, Any]) -> list[str]:
    """Where an existing job (REST JSON) differs from the declared one, one entry each."""
    declared = {k: v for k, v in job_spec(props).items() if k not in ("tasks", "metadata")}
    declared = BatchJobArgs.from_dict(declared).to_inputs()
    observed = BatchJobArgs.from_dict(
        {k: v for k, v in service_spec(existing).items() if k != "job_id"}
    ).to_inputs()
    differences = []
    for key, value in sorted(declared.items()):
        if key == "id":
            continue
        found = project(value, observed.get(key))
        if found != value:
            differences.append(f"{key}: declared {value!r}, existing {observed.get(key)!r}")
    return differences
