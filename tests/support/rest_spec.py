"""The Batch REST spec 2025-06-01 as the tests read it: from ``$BATCH_REST_SPEC_DIR``, by default
``shared/batch-rest-api/2025-06-01`` in the directory that holds the checkout."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SPEC_DIR = Path(
    os.environ.get(
        "BATCH_REST_SPEC_DIR",
        Path(__file__).resolve().parents[3] / "shared" / "batch-rest-api" / "2025-06-01",
    )
)

#: Operations the emulator implements (its REST surface for pools, nodes, jobs, job
#: schedules, tasks, files).
IMPLEMENTED = frozenset(
    {
        "Pools_CreatePool",
        "Pools_GetPool",
        "Pools_ListPools",
        "Pools_PoolExists",
        "Pools_DeletePool",
        "Pools_ResizePool",
        "Pools_StopPoolResize",
        "Pools_UpdatePool",
        "Pools_ReplacePoolProperties",
        "Nodes_ListNodes",
        "Nodes_GetNode",
        "Nodes_RebootNode",
        "Nodes_ReimageNode",
        "Jobs_CreateJob",
        "Jobs_GetJob",
        "Jobs_ListJobs",
        "Jobs_UpdateJob",
        "Jobs_ReplaceJob",
        "Jobs_DeleteJob",
        "Jobs_TerminateJob",
        "Jobs_DisableJob",
        "Jobs_EnableJob",
        "Jobs_GetJobTaskCounts",
        "Jobs_ListJobPreparationAndReleaseTaskStatus",
        "Tasks_CreateTask",
        "Tasks_CreateTaskCollection",
        "Tasks_GetTask",
        "Tasks_ListTasks",
        "Tasks_ReplaceTask",
        "Tasks_DeleteTask",
        "Tasks_TerminateTask",
        "Tasks_ReactivateTask",
        "JobSchedules_CreateJobSchedule",
        "JobSchedules_GetJobSchedule",
        "JobSchedules_ListJobSchedules",
        "JobSchedules_JobScheduleExists",
        "JobSchedules_UpdateJobSchedule",
        "JobSchedules_ReplaceJobSchedule",
        "JobSchedules_DeleteJobSchedule",
        "JobSchedules_DisableJobSchedule",
        "JobSchedules_EnableJobSchedule",
        "JobSchedules_TerminateJobSchedule",
        "Jobs_ListJobsFromSchedule",
        "Tasks_ListTaskFiles",
        "Tasks_GetTaskFile",
        "Tasks_GetTaskFileProperties",
        "Tasks_DeleteTaskFile",
        "Nodes_ListNodeFiles",
        "Nodes_GetNodeFile",
        "Nodes_GetNodeFileProperties",
        "Nodes_DeleteNodeFile",
    }
)


@cache
def spec() -> dict[str, Any]:
    path = SPEC_DIR / "BatchService.json"
    if not path.exists():
        raise FileNotFoundError(f"the Batch REST spec is expected at {path}")
    return dict(json.loads(path.read_text()))


def operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (HTTP method, path template, operation object)."""
    out = {}
    for path, ops in spec()["paths"].items():
        for method, op in ops.items():
            if method != "parameters":
                out[op["operationId"]] = (method.upper(), path, op)
    return out


def examples() -> list[tuple[str, dict[str, Any]]]:
    """(file name, example) for every x-ms-example of the spec."""
    out = []
    for file in sorted((SPEC_DIR / "examples").glob("*.json")):
        out.append((file.name, dict(json.loads(file.read_text()))))
    return out


@cache
def _validator(definition: str) -> Any:
    schema = {"$ref": f"#/definitions/{definition}", "definitions": spec()["definitions"]}
    return jsonschema_rs.Draft4Validator(schema)


def schema_errors(body: Any, definition: str) -> list[str]:
    """Messages of every way ``body`` breaks the spec's definition (empty when it conforms)."""
    return [str(error) for error in _validator(definition).iter_errors(body)]


def response_definition(operation_id: str, status: str) -> str | None:
    op = operations()[operation_id][2]
    response = op["responses"].get(status) or op["responses"]["default"]
    ref = response.get("schema", {}).get("$ref")
    return None if ref is None else str(ref).rsplit("/", 1)[-1]
