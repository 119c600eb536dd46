"""The ``azure-batch-jobs`` package schema, derived from the argument declarations.

Every argument class reachable from ``BatchJobArgs`` or ``BatchJobScheduleArgs`` becomes an
object type keyed by its REST names, its fields described by their declared rules; every enum
field an enum type. ``BatchJob`` takes the job's fields (``id`` as ``jobId``) plus the resource
settings, and reports the service's facts; ``BatchJobSchedule`` the schedule's (``id`` as
``scheduleId``: ``schedule``, ``jobSpecification``, ...), its settings and facts.
"""

from __future__ import annotations

from typing import Any

from ..args._fields import Field
from ..args._job import BatchJobArgs
from ..args._model import BatchModel
from ..args._schedule import BatchJobScheduleArgs
from ..core._task_counts import COUNT_MEANINGS, COUNT_NAMES
from ._tokens import PACKAGE, RESOURCE, SCHEDULE_RESOURCE
from ._wire import wire_text

#: The argument classes the resources are (not object types of their own).
ROOTS: tuple[type[BatchModel], ...] = (BatchJobArgs, BatchJobScheduleArgs)
ANY = {"$ref": "pulumi.json#/Any"}

#: The resource's own settings (not job fields), described once.
SETTINGS: dict[str, dict[str, Any]] = {
    "jobId": {
        "type": "string",
        "description": "The job's id (1-64 letters, digits, '-', '_'); generated from the "
        "resource name when left out.",
    },
    "endpoint": {
        "type": "string",
        "description": "The Batch account endpoint; default: the provider's configuration.",
    },
    "accountName": {"type": "string", "description": "The Batch account name (shared key)."},
    "accountKey": {
        "type": "string",
        "secret": True,
        "description": "The account's shared key; without one, Entra ID is used.",
    },
    "deleteTimeoutSeconds": {
        "type": "number",
        "description": "How long a delete waits for the Job Release tasks (default 1800).",
    },
    "onDelete": {
        "type": "string",
        "description": "`delete` (default) or `terminate` (keep the job record).",
    },
    "adopt": {
        "type": "boolean",
        "description": "Take over an existing job with this id whose specification matches.",
    },
    "waitForTasks": {
        "type": "string",
        "description": "`none` (default): create and update return once the job and its tasks "
        "are submitted. `completion`: they wait until every task of the job has completed, "
        "reporting progress, and fail naming each failed task (exit code, failure category, "
        "the end of its `stderr.txt`); the job stays in the stack either way.",
    },
    "waitTimeoutSeconds": {
        "type": "number",
        "description": "How long `waitForTasks: completion` waits (default 3600); the job "
        "keeps running when the wait gives up.",
    },
    "triggers": {
        **ANY,
        "description": "Any values (a list or a map); a change of any replaces the job: a "
        "re-run on demand. With a fixed `jobId` the old job is deleted first, so its Job "
        "Release tasks run before the new job starts.",
    },
}
#: Settings the provider computes into the inputs (not set by users).
COMPUTED_SETTINGS: dict[str, dict[str, Any]] = {
    "jobIdGenerated": {"type": "boolean", "description": "Whether the job id was generated."},
}
OUTPUTS: dict[str, dict[str, Any]] = {
    "url": {"type": "string", "description": "The job's URL."},
    "etag": {"type": "string", "description": "The job's ETag when last read or changed."},
    "state": {"type": "string", "description": "The job's state."},
    "creationTime": {"type": "string", "description": "When the job was created."},
    "lastModified": {"type": "string", "description": "When the job was last changed."},
    "owner": {
        "type": "string",
        "description": "This resource instance's stamp on the job (metadata "
        "`pulumi-azure-batch-jobs-provider`): a replacement that keeps the job id takes the "
        "job over, and the old resource's delete then leaves it alone.",
    },
    "preparationAndReleaseStatus": {
        "type": "array",
        "items": ANY,
        "description": "Per node, the Job Preparation and Job Release task execution "
        "information (REST JSON), as of the last refresh.",
    },
    "taskCounts": {
        "$ref": "#/types/azure-batch-jobs:index:TaskCounts",
        "description": "The job's task counts after create, after an update that waited for "
        "the tasks, and after each refresh.",
    },
}
#: A job schedule's own settings: the account and the delete's bound as a job's, and these.
SCHEDULE_SETTINGS: dict[str, dict[str, Any]] = {
    "scheduleId": {
        "type": "string",
        "description": "The job schedule's id (1-64 letters, digits, '-', '_'); generated from "
        "the resource name when left out. A change replaces the schedule.",
    },
    **{k: SETTINGS[k] for k in ("endpoint", "accountName", "accountKey")},
    "deleteTimeoutSeconds": {
        "type": "number",
        "description": "How long a delete waits for the schedule's active job to end (its Job "
        "Release tasks) and for the schedule to be gone (default 1800).",
    },
    "enabled": {
        "type": "boolean",
        "description": "`false`: the schedule is disabled and creates no job until enabled "
        "again (Disable / Enable Job Schedule). Default `true`.",
    },
}
SCHEDULE_COMPUTED_SETTINGS: dict[str, dict[str, Any]] = {
    "scheduleIdGenerated": {
        "type": "boolean",
        "description": "Whether the schedule id was generated.",
    },
}
SCHEDULE_OUTPUTS: dict[str, dict[str, Any]] = {
    **{
        k: {**OUTPUTS[k], "description": OUTPUTS[k]["description"].replace("job", "schedule")}
        for k in ("url", "etag", "state", "creationTime", "lastModified")
    },
    "owner": {
        "type": "string",
        "description": "This resource instance's stamp on the schedule (metadata "
        "`pulumi-azure-batch-jobs-provider`).",
    },
    "nextRunTime": {
        "type": "string",
        "description": "When the schedule creates its next job (`executionInfo.nextRunTime`).",
    },
    "recentJobId": {
        "type": "string",
        "description": "The id of the schedule's most recent job (`executionInfo.recentJob`).",
    },
    "recentJobs": {
        "type": "array",
        "items": ANY,
        "description": "The schedule's most recent jobs, newest first, as of the last refresh: "
        "`id`, `state`, `creationTime` and, per node, `preparationAndReleaseStatus` (the Job "
        "Preparation and Job Release task execution information, REST JSON).",
    },
}
#: The ``taskCounts`` output's type: ``Job - Get Task Counts``.
TASK_COUNTS_TYPE: dict[str, Any] = {
    "type": "object",
    "description": "How many of the job's tasks are in each state (`Job - Get Task Counts`).",
    "properties": {
        name: {"type": "integer", "description": f"Tasks {meaning}."}
        for name, meaning in COUNT_MEANINGS.items()
    },
    "required": list(COUNT_NAMES),
}
CONFIG = {k: SETTINGS[k] for k in ("endpoint", "accountName", "accountKey")}
#: How each SDK is generated (`tools/sdkgen`); every SDK asks for the plugin at the schema's
#: version, so a plugin installed by version is found offline.
LANGUAGES: dict[str, dict[str, Any]] = {
    "python": {"respectSchemaVersion": True},
    "nodejs": {
        "respectSchemaVersion": True,
        "packageName": "azure-batch-jobs-pulumi",
        "dependencies": {"@pulumi/pulumi": "^3.260.0"},
        "typescriptVersion": "^5.9.3",
    },
    "go": {
        "respectSchemaVersion": True,
        "importBasePath": "pulumi-azure-batch-jobs/sdk/go/azurebatchjobs",
        "generateResourceContainerTypes": True,
    },
}


def _token(name: str) -> str:
    return f"{PACKAGE}:index:{name}"


def _doc(cls: type[Any]) -> str:
    return " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split())


def models(*roots: type[BatchModel]) -> list[type[BatchModel]]:
    """The ``roots`` (default: every resource's) and every argument class their fields
    reach, by class, sorted by name."""
    found: dict[str, type[BatchModel]] = {}
    pending = list(roots or ROOTS)
    while pending:
        model = pending.pop()
        if model.__name__ not in found:
            found[model.__name__] = model
            pending.extend(f.model for f in model.fields() if f.model is not None)
    return [found[name] for name in sorted(found)]


def field_type(field: Field) -> dict[str, Any]:
    """The schema type of one field."""
    if field.kind in ("str", "duration", "datetime"):
        return {"type": "string"}
    if field.kind == "int":
        return {"type": "integer"}
    if field.kind == "bool":
        return {"type": "boolean"}
    if field.kind == "strs":
        return {"type": "array", "items": {"type": "string"}}
    if field.kind == "enum":
        return {"$ref": f"#/types/{_token(field.type_name)}"}
    if field.kind == "model":
        return {"$ref": f"#/types/{_token(_model_name(field))}"}
    if field.kind == "models":
        return {"type": "array", "items": {"$ref": f"#/types/{_token(_model_name(field))}"}}
    return ANY  # REST JSON carried as it is


def _model_name(field: Field) -> str:
    assert field.model is not None
    return field.model.__name__


def _property(field: Field) -> dict[str, Any]:
    description = f"`{field.rest_key}` of the Batch REST API"
    if field.kind == "duration":
        description += " (an ISO 8601 duration, such as `PT15M`)"
    if field.kind == "datetime":
        description += " (an ISO 8601 UTC date-time, such as `2026-01-01T02:00:00Z`)"
    if field.rules:
        description += f": {wire_text(field.rules)}"
    secret = {"secret": True} if field.secret else {}
    return {**field_type(field), **secret, "description": description + "."}


def _properties(model: type[BatchModel]) -> dict[str, Any]:
    return {f.rest_key: _property(f) for f in model.fields()}


def _types() -> dict[str, Any]:
    types: dict[str, Any] = {}
    for model in models():
        name = model.__name__
        for field in model.fields():
            if field.kind == "enum" and field.enum is not None:
                types[_token(field.type_name)] = {
                    "type": "string",
                    "enum": [{"value": str(member.value)} for member in field.enum],
                }
        if model not in ROOTS:  # a resource itself
            types[_token(name)] = {
                "type": "object",
                "description": _doc(model),
                "properties": _properties(model),
                "required": sorted(f.rest_key for f in model.fields() if f.required),
            }
    return types


def job_inputs() -> dict[str, Any]:
    """``BatchJob``'s input properties: the job's fields (``jobId`` for ``id``), settings."""
    spec = {k: v for k, v in _properties(BatchJobArgs).items() if k != "id"}
    return {**spec, **SETTINGS}


def schedule_inputs() -> dict[str, Any]:
    """``BatchJobSchedule``'s input properties: the schedule's fields (``scheduleId`` for
    ``id``), settings."""
    spec = {k: v for k, v in _properties(BatchJobScheduleArgs).items() if k != "id"}
    return {**spec, **SCHEDULE_SETTINGS}


def _required(model: type[BatchModel]) -> list[str]:
    return sorted(f.rest_key for f in model.fields() if f.required)


def package_schema(version: str) -> dict[str, Any]:
    """The complete package schema."""
    inputs = job_inputs()
    schedule = schedule_inputs()
    return {
        "name": PACKAGE,
        "version": version,
        "displayName": "Azure Batch Jobs",
        "description": "Azure Batch jobs and job schedules with typed Job Preparation, Job "
        "Release and Job Manager tasks, plan-time validation and precise diffs.",
        "keywords": ["azure", "batch", "category/cloud", "kind/native"],
        "license": "Apache-2.0",
        "config": {"variables": CONFIG},
        "provider": {
            "description": "A Batch account: endpoint, account name and shared key (or Entra ID).",
            "inputProperties": CONFIG,
            "properties": CONFIG,
        },
        "resources": {
            RESOURCE: {
                "description": _doc(BatchJobArgs),
                "inputProperties": inputs,
                "requiredInputs": ["poolInfo"],
                "properties": {**inputs, **COMPUTED_SETTINGS, **OUTPUTS},
                "required": ["jobId", "poolInfo", "url", "state"],
            },
            SCHEDULE_RESOURCE: {
                "description": _doc(BatchJobScheduleArgs),
                "inputProperties": schedule,
                "requiredInputs": _required(BatchJobScheduleArgs),
                "properties": {**schedule, **SCHEDULE_COMPUTED_SETTINGS, **SCHEDULE_OUTPUTS},
                "required": ["scheduleId", *_required(BatchJobScheduleArgs), "url", "state"],
            },
        },
        "types": {**_types(), _token("TaskCounts"): TASK_COUNTS_TYPE},
        "language": LANGUAGES,
    }
