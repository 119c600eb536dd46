"""Stacks of the one-BatchJob test program (``tests/e2e/programs/batch_job``) and the
job specs and waits the end-to-end and reliability tests share."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from azure.batch import BatchClient
from pulumi import automation as auto

#: The program: one BatchJob from the ``job`` (a spec) and ``settings`` config values.
BATCH_JOB_PROGRAM = Path(__file__).resolve().parents[1] / "e2e" / "programs" / "batch_job"

#: What the ``job_stack`` fixture returns: a stack for a job spec.
StackFactory = Callable[..., auto.Stack]


def spec(job_id: str, **overrides: Any) -> dict[str, Any]:
    """A job with preparation and release tasks and three tasks on the default pool."""
    base: dict[str, Any] = {
        "id": job_id,
        "pool_info": {"pool_id": "default"},
        "priority": 10,
        "job_preparation_task": {"command_line": "/bin/sh -c 'echo prep'"},
        "job_release_task": {
            "command_line": "/bin/sh -c 'echo release'",
            "max_wall_clock_time": "PT5M",
        },
        "tasks": [{"id": f"t{i}", "command_line": "/bin/true"} for i in range(3)],
    }
    base.update(overrides)
    return base


def set_job(stack: auto.Stack, job: dict[str, Any]) -> None:
    """Replace the stack's job spec."""
    stack.set_config("job", auto.ConfigValue(json.dumps(job)))


def state_name(value: Any) -> str:
    """An SDK enum's value, or the text itself."""
    return str(getattr(value, "value", value))


def wait_for_tasks(batch: BatchClient, job_id: str, timeout: float = 60.0) -> None:
    """Poll the REST API (with a deadline) until every task of the job completed."""
    deadline = time.monotonic() + timeout
    while True:
        states = [state_name(t.state) for t in batch.list_tasks(job_id)]
        if states and all(s == "completed" for s in states):
            return
        assert time.monotonic() < deadline, f"tasks of {job_id} still {states}"
        time.sleep(0.1)
