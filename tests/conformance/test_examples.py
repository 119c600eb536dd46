"""Replay the spec's x-ms-examples against the emulator.

Each example of an implemented operation is sent as the spec describes it (after creating
the resources it refers to); the status code must be the example's, and a response body
must conform to the spec's schema and echo the example's identity. Examples of
operations the emulator does not implement must get a Batch-shaped 501, never a crash.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from batch_emulator.testing import EmulatorHandle
from tests.support.rest_spec import (
    IMPLEMENTED,
    examples,
    operations,
    response_definition,
    schema_errors,
)

#: Examples the spec itself gets wrong, and why they cannot be replayed.
BROKEN = {
    "Pools_Update_CustomerManagedKey_ForBatchManagedAccounts.json": (
        "has no poolId path parameter and answers 201 where the operation defines 200"
    ),
}
_PATH_PARAMS = ("jobScheduleId", "jobId", "poolId", "taskId", "nodeId", "filePath")
#: Operations whose examples need files a task really wrote (the process engine).
FILE_OPERATIONS = frozenset(op for op in IMPLEMENTED if "File" in op)
#: The example's file: 17 bytes, its documented Content-Length.
_FILE_TASK = "/bin/sh -c 'printf 0123456789abcdefg > testFile.txt'"


class Api:
    """Signed calls to the emulator under test."""

    def __init__(self, emulator: EmulatorHandle, session: requests.Session) -> None:
        self.base = emulator.endpoint
        self.session = session

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> requests.Response:
        kwargs: dict[str, Any] = {"params": {"api-version": "2025-06-01"}, "timeout": 10}
        if body is not None:
            kwargs["json"] = body
            headers["Content-Type"] = "application/json; odata=minimalmetadata"
        return self.session.request(method, self.base + path, headers=headers, **kwargs)

    def ok(self, method: str, path: str, body: Any = None) -> requests.Response:
        response = self.call(method, path, body)
        assert response.status_code < 300, response.text
        return response

    def pool(self, pool_id: str, nodes: int = 1) -> None:
        body = {"id": pool_id, "vmSize": "standard_d2s_v3", "targetDedicatedNodes": nodes}
        self.ok("POST", "/pools", body)

    def job(self, job_id: str, pool_id: str = "poolId", **extra: Any) -> None:
        self.ok("POST", "/jobs", {"id": job_id, "poolInfo": {"poolId": pool_id}, **extra})

    def job_schedule(self, schedule_id: str, pool_id: str = "poolId") -> None:
        """A schedule whose first job is not due before 2099."""
        body = {
            "id": schedule_id,
            "schedule": {"doNotRunUntil": "2099-01-01T00:00:00Z"},
            "jobSpecification": {"poolInfo": {"poolId": pool_id}},
        }
        self.ok("POST", "/jobschedules", body)

    def first_node(self, pool_id: str) -> str:
        return str(self.ok("GET", f"/pools/{pool_id}/nodes").json()["value"][0]["id"])


def _prepare_files(api: Api, params: dict[str, Any]) -> None:
    """A pool whose one node ran the example's task (``jobId``/``task1`` for node files),
    which wrote ``wd/testFile.txt``; waits for the task through the API."""
    api.pool("poolId")
    job_id, task_id = params.get("jobId", "jobId"), params.get("taskId", "task1")
    api.job(job_id)
    api.ok("POST", f"/jobs/{job_id}/tasks", {"id": task_id, "commandLine": _FILE_TASK})
    deadline = time.monotonic() + 20
    while api.ok("GET", f"/jobs/{job_id}/tasks/{task_id}").json()["state"] != "completed":
        assert time.monotonic() < deadline, "the example's task did not complete"
        time.sleep(0.02)
    if "nodeId" in params:
        params["nodeId"] = api.first_node("poolId")


def _prepare(api: Api, operation_id: str, params: dict[str, Any]) -> None:
    """Create what the example refers to, and point node ids at a real node."""
    if operation_id in FILE_OPERATIONS:
        _prepare_files(api, params)
        return
    kind = family(operation_id)
    if "jobScheduleId" in params and operation_id != "JobSchedules_CreateJobSchedule":
        api.job_schedule(params["jobScheduleId"])
    if kind == "Jobs" and operation_id not in {"Jobs_CreateJob", "Jobs_ListJobsFromSchedule"}:
        if operation_id == "Jobs_ListJobPreparationAndReleaseTaskStatus":
            api.pool("poolId")
            api.job(
                params["jobId"],
                jobPreparationTask={"commandLine": "echo prep"},
                jobReleaseTask={"commandLine": "echo release"},
            )
            api.ok("POST", f"/jobs/{params['jobId']}/tasks", {"id": "t1", "commandLine": "x"})
        else:
            api.job(params["jobId"])
    if kind == "Tasks":
        api.job(params["jobId"])
        if "taskId" in params:
            api.ok(
                "POST",
                f"/jobs/{params['jobId']}/tasks",
                {"id": params["taskId"], "commandLine": "x"},
            )
    if kind in {"Pools", "Nodes"} and "poolId" in params:
        api.pool(params["poolId"])
        if "nodeId" in params:
            params["nodeId"] = api.first_node(params["poolId"])


def family(operation_id: str) -> str:
    return operation_id.split("_", 1)[0]


def _request(operation_id: str, params: dict[str, Any]) -> tuple[str, str, Any]:
    method, template, op = operations()[operation_id]
    path = template
    for name in _PATH_PARAMS:
        path = path.replace("{" + name + "}", str(params.get(name, "")))
    body_names = [p["name"] for p in op["parameters"] if p.get("in") == "body"]
    body = params.get(body_names[0]) if body_names else None
    return method, path, body


def _cases() -> list[Any]:
    out = []
    defined = operations()
    for name, example in examples():
        if example["operationId"] not in defined:
            continue  # examples of operations this spec version no longer defines
        marks = []
        if name in BROKEN:
            marks.append(pytest.mark.skip(reason=f"spec example {BROKEN[name]}"))
        out.append(pytest.param(name, example, id=name.removesuffix(".json"), marks=marks))
    return out


@pytest.mark.parametrize(("name", "example"), _cases())
def test_example(
    name: str,
    example: dict[str, Any],
    conformance_emulator: EmulatorHandle,
    signed: requests.Session,
    request: pytest.FixtureRequest,
) -> None:
    operation_id = example["operationId"]
    emulator = conformance_emulator
    if operation_id in FILE_OPERATIONS:
        emulator = request.getfixturevalue("files_emulator")
    emulator.reset()
    api = Api(emulator, signed)
    params = dict(example["parameters"])
    implemented = operation_id in IMPLEMENTED
    if implemented:
        _prepare(api, operation_id, params)
    method, path, body = _request(operation_id, params)
    response = api.call(method, path, body, **{"client-request-id": params["client-request-id"]})
    if not implemented:
        assert response.status_code == 501, response.text
        if method != "HEAD":
            assert response.json()["code"] == "NotImplemented"
            assert not schema_errors(response.json(), "BatchError")
        return
    expected = min(example["responses"])  # PoolExists documents 200 and 404
    assert str(response.status_code) == expected, response.text
    assert response.headers["request-id"]
    assert response.headers["client-request-id"] == params["client-request-id"]
    if operation_id in FILE_OPERATIONS:
        _check_file_headers(operation_id, example["responses"][expected], response)
    documented = example["responses"][expected].get("body")
    if documented is None or method == "HEAD" or isinstance(documented, str):
        return
    definition = response_definition(operation_id, expected)
    assert definition is not None
    got = response.json()
    assert schema_errors(got, definition) == []
    if "id" in documented:
        expected_id = params["nodeId"] if family(operation_id) == "Nodes" else documented["id"]
        assert got["id"].lower() == str(expected_id).lower()
    if "value" in documented and operation_id == "Tasks_CreateTaskCollection":
        assert sorted(r["taskId"] for r in got["value"]) == sorted(
            r["taskId"] for r in documented["value"]
        )
        assert {r["status"] for r in got["value"]} == {"success"}


def _check_file_headers(
    operation_id: str, documented: dict[str, Any], response: requests.Response
) -> None:
    """Every header a file's content or properties declare is sent; those the example
    shows match it (a listing's declared ETag and Last-Modified are a list's, not sent)."""
    op = operations()[operation_id][2]
    for header in op["responses"]["200"].get("headers", {}):
        if header != "client-request-id" and "List" not in operation_id:
            assert header in response.headers, header
    for header in ("Content-Length", "Content-Type", "ocp-batch-file-isdirectory"):
        if header in documented:
            assert response.headers[header] == documented[header], header
