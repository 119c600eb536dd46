"""The one-BatchJobSchedule test program (``tests/e2e/programs/batch_job_schedule``), the
schedule specs the end-to-end and reliability tests share, and waits on the service."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from azure.batch import BatchClient
from azure.core.exceptions import ResourceNotFoundError
from pulumi import automation as auto

#: The program: one BatchJobSchedule from the ``schedule`` and ``settings`` config values.
SCHEDULE_PROGRAM = Path(__file__).resolve().parents[1] / "e2e" / "programs" / "batch_job_schedule"
SCHEDULE_TYPE = "azure-batch-jobs:index:BatchJobSchedule"


def schedule_spec(schedule_id: str | None, **overrides: Any) -> dict[str, Any]:
    """An hourly schedule whose jobs run a short Job Manager, with preparation and release."""
    base: dict[str, Any] = {
        "schedule": {"recurrence_interval": "PT1H"},
        "job_specification": {
            "pool_info": {"pool_id": "default"},
            "priority": 5,
            "job_manager_task": {"id": "manager", "command_line": "/bin/sh -c 'echo manage'"},
            "job_preparation_task": {"command_line": "/bin/sh -c 'echo prep'"},
            "job_release_task": {
                "command_line": "/bin/sh -c 'echo release'",
                "max_wall_clock_time": "PT5M",
            },
        },
    }
    if schedule_id is not None:
        base["id"] = schedule_id
    base.update(overrides)
    return base


def set_schedule(stack: auto.Stack, spec: dict[str, Any]) -> None:
    """Replace the stack's schedule spec."""
    stack.set_config("schedule", auto.ConfigValue(json.dumps(spec)))


def wait_until(check: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    """Poll ``check`` (reads through the Batch API) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.1)


def schedule_exists(batch: BatchClient, schedule_id: str) -> bool:
    try:
        batch.get_job_schedule(schedule_id)
    except ResourceNotFoundError:
        return False
    return True


def jobs_of(batch: BatchClient, schedule_id: str) -> list[Any]:
    """The jobs of a schedule, through ``Job - List From Job Schedule`` (none once gone)."""
    try:
        return list(batch.list_jobs_from_schedule(schedule_id))
    except ResourceNotFoundError:
        return []


def all_jobs_from(batch: BatchClient, schedule_id: str) -> list[str]:
    """Every job in the account a schedule created (``<schedule id>:job-<n>``)."""
    return [str(j.id) for j in batch.list_jobs() if str(j.id).startswith(f"{schedule_id}:")]
