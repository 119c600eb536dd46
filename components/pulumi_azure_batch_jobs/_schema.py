"""The ``azure-batch-jobs`` package schema, derived from the argument declarations.

Every argument class (``BatchModel`` subclass with its ``Field`` table) becomes an object type
keyed by its REST names, every enum field an enum type; ``BatchJob`` takes the job's fields
(``id`` as ``jobId``) plus the resource settings, and reports the service's facts.
"""

from __future__ import annotations

import sys
from typing import Any

from ._connection import CONFIG_NAMESPACE
from ._job_args import BatchJobArgs
from ._model import _MODELS, BatchModel, Field, _nested

PACKAGE = CONFIG_NAMESPACE
RESOURCE = f"{PACKAGE}:index:BatchJob"
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
}
CONFIG = {k: SETTINGS[k] for k in ("endpoint", "accountName", "accountKey")}


def _token(name: str) -> str:
    return f"{PACKAGE}:index:{name}"


def _doc(cls: type[Any]) -> str:
    return " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split())


def _required(model: type[BatchModel]) -> list[str]:
    """Fields the model's TypedDict form marks ``Required``, as REST keys."""
    typed_dict = getattr(sys.modules[model.__module__], f"{model.__name__}Dict", None)
    annotations: dict[str, Any] = getattr(typed_dict, "__annotations__", {})
    total = getattr(typed_dict, "__total__", False)
    return sorted(
        model.rest_key(attr)
        for attr, annotation in annotations.items()
        if total or "Required[" in str(annotation)
    )


def field_type(field: Field) -> dict[str, Any]:
    """The schema type of one field."""
    if field.kind in ("str", "duration"):
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
        return {"$ref": f"#/types/{_token(_nested(field).__name__)}"}
    if field.kind == "models":
        return {"type": "array", "items": {"$ref": f"#/types/{_token(_nested(field).__name__)}"}}
    return ANY  # REST JSON carried as it is


def _property(model: type[BatchModel], field: Field) -> dict[str, Any]:
    description = f"`{model.rest_key(field.attr)}` of the Batch REST API"
    if field.kind == "duration":
        description += " (an ISO 8601 duration, such as `PT15M`)"
    return {**field_type(field), "description": description + "."}


def _properties(model: type[BatchModel]) -> dict[str, Any]:
    return {model.rest_key(f.attr): _property(model, f) for f in model._fields}


def _types() -> dict[str, Any]:
    types: dict[str, Any] = {}
    for name, model in sorted(_MODELS.items()):
        for field in model._fields:
            if field.kind == "enum" and field.enum is not None:
                types[_token(field.type_name)] = {
                    "type": "string",
                    "enum": [{"value": str(member.value)} for member in field.enum],
                }
        if model is not BatchJobArgs:  # the resource itself
            types[_token(name)] = {
                "type": "object",
                "description": _doc(model),
                "properties": _properties(model),
                "required": _required(model),
            }
    return types


def job_inputs() -> dict[str, Any]:
    """``BatchJob``'s input properties: the job's fields (``jobId`` for ``id``), settings."""
    spec = {k: v for k, v in _properties(BatchJobArgs).items() if k != "id"}
    return {**spec, **SETTINGS}


def package_schema(version: str) -> dict[str, Any]:
    """The complete package schema."""
    inputs = job_inputs()
    return {
        "name": PACKAGE,
        "version": version,
        "displayName": "Azure Batch Jobs",
        "description": "Azure Batch jobs with typed Job Preparation, Job Release and Job "
        "Manager tasks, plan-time validation and precise diffs.",
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
            }
        },
        "types": _types(),
        "language": {
            "python": {"respectSchemaVersion": True},
            "nodejs": {"respectSchemaVersion": True},
        },
    }
