"""Spec-driven fuzzing (schemathesis) of every operation the emulator implements.

Requests are generated from the spec's parameter and body schemas and sent, shared-key
signed, to a real emulator. Every response must be free of server errors, use a status
code and content type the operation documents, and conform to the response schema
(the operation's or the Batch error shape).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from batch_emulator.testing import EmulatorHandle
from tests.support.rest_spec import IMPLEMENTED, operations, spec

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 8
#: Generating collections of up to 100 tasks is slow; fewer examples keep the run short.
FEWER_EXAMPLES = {"Tasks_CreateTaskCollection": 3}


def _without_duration_format(node: Any) -> None:
    """Batch writes .NET TimeSpans (``P10675199DT2H48M5.4775807S``, in the spec's own
    examples) whose fractional seconds the RFC 3339 duration grammar of the validator
    refuses; the emulator checks durations itself (ISO 8601 with fractions)."""
    if isinstance(node, dict):
        if node.get("format") == "duration":
            del node["format"]
        for value in node.values():
            _without_duration_format(value)
    elif isinstance(node, list):
        for value in node:
            _without_duration_format(value)


def _fuzz_schema() -> Any:
    """The spec, with the api-version pinned, the request date left to the signer and no
    ``$select`` (a projection omits required properties by design)."""
    raw = copy.deepcopy(spec())
    _without_duration_format(raw["definitions"])
    raw["parameters"]["Azure.Core.Foundations.ApiVersionParameter"]["enum"] = ["2025-06-01"]
    raw["host"] = "127.0.0.1"
    raw.pop("x-ms-parameterized-host", None)
    for path in raw["paths"].values():
        for op in path.values():
            if isinstance(op, dict) and "parameters" in op:
                op["parameters"] = [
                    p for p in op["parameters"] if p.get("name") not in {"ocp-date", "$select"}
                ]
    return schemathesis.openapi.from_dict(raw)


SCHEMA = _fuzz_schema()


def _operation(operation_id: str) -> Any:
    method, path, _ = operations()[operation_id]
    return SCHEMA[path][method]


class Targets:
    """Existing resources that every other generated request is pointed at, so fuzzed
    bodies and queries reach the verbs and not only the not-found paths."""

    def __init__(self, emulator: EmulatorHandle, session: requests.Session) -> None:
        self.base = emulator.endpoint
        self.session = session

    def _ensure(self, path: str, create: str, body: dict[str, Any]) -> None:
        params = {"api-version": "2025-06-01"}
        if self.session.get(self.base + path, params=params, timeout=10).status_code == 404:
            self.session.post(self.base + create, params=params, json=body, timeout=10)

    def ids(self) -> dict[str, str]:
        self._ensure(
            "/pools/fuzz-pool",
            "/pools",
            {"id": "fuzz-pool", "vmSize": "standard_d2s_v3", "targetDedicatedNodes": 1},
        )
        self._ensure("/jobs/fuzz-job", "/jobs", {"id": "fuzz-job", "poolInfo": {"poolId": "p"}})
        self._ensure(
            "/jobs/fuzz-job/tasks/fuzz-task",
            "/jobs/fuzz-job/tasks",
            {"id": "fuzz-task", "commandLine": "echo"},
        )
        self._ensure(
            "/jobschedules/fuzz-schedule",
            "/jobschedules",
            {
                "id": "fuzz-schedule",
                "schedule": {"recurrenceInterval": "PT1H"},
                "jobSpecification": {"poolInfo": {"poolId": "p"}},
            },
        )
        nodes = self.session.get(
            self.base + "/pools/fuzz-pool/nodes", params={"api-version": "2025-06-01"}, timeout=10
        ).json()["value"]
        node = nodes[0]["id"] if nodes else "no-node"
        return {
            "poolId": "fuzz-pool",
            "jobId": "fuzz-job",
            "taskId": "fuzz-task",
            "nodeId": node,
            "jobScheduleId": "fuzz-schedule",
        }


@pytest.mark.parametrize("operation_id", sorted(IMPLEMENTED))
def test_fuzz(
    operation_id: str, conformance_emulator: EmulatorHandle, signed: requests.Session
) -> None:
    operation = _operation(operation_id)
    targets = Targets(conformance_emulator, signed)
    counter = iter(range(10**6))

    @settings(
        max_examples=FEWER_EXAMPLES.get(operation_id, EXAMPLES_PER_OPERATION),
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        if case.path_parameters and next(counter) % 2 == 0:
            ids = targets.ids()
            case.path_parameters = {k: ids.get(k, v) for k, v in case.path_parameters.items()}
        case.call_and_validate(
            base_url=conformance_emulator.endpoint, session=signed, checks=CHECKS, timeout=10
        )

    run()
