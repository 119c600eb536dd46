"""Hypothesis-generated argument sets through the provider: every invalid one is
rejected by ``check`` (what ``pulumi preview`` runs) with a field path, no traceback and
no request; every valid one is accepted by the emulator."""

from __future__ import annotations

import copy
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import pulumi_azure_batch_jobs as pab
from batch_emulator.testing import EmulatorHandle, start_emulator
from tests.support.native_provider import URN, configured, create
from tests.support.reliability import SOAK, batch_client, record

sys.path.insert(0, str(Path(__file__).parent.parent / "unit"))
from pulumi_azure_batch_jobs.provider._props import BatchJobInputs
from pulumi_azure_batch_jobs.provider._wire import wire_path
from tests.support.broken_jobs import broken_jobs
from tests.support.job_args import jobs

EXAMPLES = 200 if SOAK else 25
_counter = itertools.count()
_tried = {"valid": 0, "invalid": 0, "manager_and_tasks": 0}
#: A Job Manager Task that does not end the job, and initial tasks: both reach Batch.
MANAGER_AND_TASKS = {
    "id": "manager-and-tasks",
    "pool_info": {"pool_id": "default"},
    "job_manager_task": {"id": "m", "command_line": "/bin/true", "kill_job_on_completion": False},
    "tasks": [{"id": "t0", "command_line": "/bin/true"}, {"id": "t1", "command_line": "/bin/true"}],
}


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorHandle]:
    with start_emulator(engine="instant") as handle:
        yield handle
    record("generated_arguments", inputs_tried=dict(_tried), tracebacks=0)


def _props(data: dict[str, Any]) -> BatchJobInputs:
    props = pab.BatchJobArgs.from_dict(data).to_inputs()
    props["job_id"] = props.pop("id")
    return cast(BatchJobInputs, props)


def test_invalid_arguments_are_rejected_at_check_with_a_path_and_no_request(
    emulator: EmulatorHandle,
) -> None:
    provider = configured(emulator)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(broken_jobs())
    def run(case: tuple[dict[str, Any], str, str]) -> None:
        job, path, name = case
        before = emulator.stats()["total"]
        _, reasons = provider.check(URN.format(name="job"), {}, _props(copy.deepcopy(job)))
        path = wire_path(path)
        assert any(r.startswith(f"{path}: ") or f"{path}" in r for r in reasons), (name, reasons)
        assert not any("Traceback" in r for r in reasons)
        assert emulator.stats()["total"] == before, "check sent a request"
        _tried["invalid"] += 1

    run()


def test_valid_arguments_are_accepted_by_the_emulator(emulator: EmulatorHandle) -> None:
    provider = configured(emulator)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(jobs(), st.booleans())
    @example(MANAGER_AND_TASKS, True)
    def run(data: dict[str, Any], own_pool: bool) -> None:
        data = {**data, "id": f"gen-{next(_counter)}"}
        if own_pool:
            data["pool_info"] = {"pool_id": "default"}
        _, failures = provider.check(URN.format(name="job"), {}, _props(data))
        if pab.validate_job(data):
            # The strategy can draw a blank value the rules refuse; check must agree.
            assert failures
            _tried["invalid"] += 1
            return
        assert not failures, failures
        created = create(provider, data["id"], _props(data))
        assert created["job_id"] == data["id"]
        assert created["state"] in ("active", "completed")
        if data.get("job_manager_task") and data.get("tasks"):
            added = {str(t.id) for t in batch_client(emulator).list_tasks(data["id"])}
            assert {t["id"] for t in data["tasks"]} <= added
            _tried["manager_and_tasks"] += 1
        _tried["valid"] += 1

    run()
    assert _tried["manager_and_tasks"] >= 1, "a manager with initial tasks was created"
