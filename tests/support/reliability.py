"""Helpers of the reliability suite: its figures, the jobs and schedules stacks, state against
service, stack commands under injected faults."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from azure.batch import BatchClient
from azure.core.credentials import AzureNamedKeyCredential
from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle
from tests.support.pulumi_stack import local_stack

__all__ = [
    "FAULTS",
    "FIGURES",
    "SOAK",
    "batch_client",
    "compare",
    "compare_schedules",
    "faults_snapshot",
    "jobs_stack",
    "record",
    "under_faults",
]

#: ``RELIABILITY_SOAK=1``: the larger sizes (50 jobs, 20 kill points).
SOAK = os.environ.get("RELIABILITY_SOAK") == "1"
FIGURES: list[dict[str, Any]] = []
#: A program declaring ``count`` BatchJobs named ``prefix-<i>``.
JOBS_PROGRAM = Path(__file__).resolve().parents[1] / "reliability" / "programs" / "jobs"
JOB_TYPE = "azure-batch-jobs:index:BatchJob"
#: A program declaring ``count`` BatchJobSchedules named ``prefix-<i>``.
SCHEDULES_PROGRAM = Path(__file__).resolve().parents[1] / "reliability" / "programs" / "schedules"
SCHEDULE_TYPE = "azure-batch-jobs:index:BatchJobSchedule"
#: 20 % injected faults: 5xx, 429, resets before and after applying, slow answers.
FAULTS = {
    "rate": 0.2,
    "kinds": ["500", "503", "429", "reset-before", "reset-after", "slow"],
    "slow_seconds": 0.2,
    "retry_after_seconds": 1,
    "seed": 20,
}
T = TypeVar("T")


def record(name: str, **figures: Any) -> None:
    """Add one test's figures to the report printed at the end of the run."""
    FIGURES.append({"test": name, **figures})


def faults_snapshot(handle: EmulatorHandle) -> dict[str, Any]:
    """Counts of injected faults since the last configuration or stats reset."""
    faults: dict[str, Any] = handle.stats().get("faults", {})
    return faults


def batch_client(emulator: EmulatorHandle) -> BatchClient:
    """A client of the test itself (faults are off when it is used)."""
    credential = AzureNamedKeyCredential(emulator.account, emulator.key)
    return BatchClient(emulator.endpoint, credential)


def jobs_stack(
    tmp_path: Path,
    emulator: EmulatorHandle,
    count: int,
    prefix: str,
    program: Path = JOBS_PROGRAM,
) -> auto.Stack:
    """A stack of :data:`JOBS_PROGRAM` (or ``program``, such as :data:`SCHEDULES_PROGRAM`)
    for the emulator's account."""
    return local_stack(
        program,
        tmp_path / "pulumi",
        config={
            "count": str(count),
            "prefix": prefix,
            "azure-batch-jobs:endpoint": emulator.endpoint,
            "azure-batch-jobs:accountName": emulator.account,
        },
        secrets={"azure-batch-jobs:accountKey": emulator.key},
    )


def state_job_ids(stack: auto.Stack, type_: str = JOB_TYPE) -> list[str]:
    """The ids of the BatchJobs (or resources of ``type_``) in the stack's state."""
    deployment = stack.export_stack().deployment
    resources = (deployment or {}).get("resources") or []
    return [str(r["id"]) for r in resources if r.get("type") == type_]


def service_job_ids(emulator: EmulatorHandle, prefix: str) -> list[str]:
    """The ids of the service's jobs named ``prefix-...`` (a schedule's jobs included)."""
    client = batch_client(emulator)
    return [str(j.id) for j in client.list_jobs() if str(j.id).startswith(f"{prefix}-")]


def service_schedule_ids(emulator: EmulatorHandle, prefix: str) -> list[str]:
    """The ids of the service's job schedules named ``prefix-...``."""
    client = batch_client(emulator)
    return [str(s.id) for s in client.list_job_schedules() if str(s.id).startswith(f"{prefix}-")]


def compare_schedules(stack: auto.Stack, emulator: EmulatorHandle, prefix: str) -> dict[str, int]:
    """:func:`compare` for job schedules, and the jobs they created in the service."""
    figures = _compared(state_job_ids(stack, SCHEDULE_TYPE), service_schedule_ids(emulator, prefix))
    return {**figures, "jobs_of_schedules": len(service_job_ids(emulator, prefix))}


def compare(stack: auto.Stack, emulator: EmulatorHandle, prefix: str) -> dict[str, int]:
    """Duplicates (one job twice in state or service), orphans (in the service only) and
    lost jobs (in the state only)."""
    return _compared(state_job_ids(stack), service_job_ids(emulator, prefix))


def _compared(in_state: list[str], in_service: list[str]) -> dict[str, int]:
    duplicates = sum(n - 1 for n in Counter(in_state).values()) + sum(
        n - 1 for n in Counter(in_service).values()
    )
    return {
        "duplicates": duplicates,
        "orphans": len(set(in_service) - set(in_state)),
        "lost": len(set(in_state) - set(in_service)),
        "jobs_in_state": len(in_state),
        "jobs_in_service": len(in_service),
    }


def under_faults(emulator: EmulatorHandle, command: Callable[[], T]) -> tuple[T, dict[str, Any]]:
    """Run a stack command with ``FAULTS`` switched on; its result and fault figures."""
    emulator.reset_stats()
    emulator.set_faults(**FAULTS)
    started = time.monotonic()
    result = command()
    seconds = time.monotonic() - started
    faults = faults_snapshot(emulator)
    emulator.set_faults(rate=0)
    return result, {
        "requests": faults["eligible_requests"],
        "faults_injected": faults["injected"],
        "faults_by_kind": faults["by_kind"],
        "seconds": round(seconds, 1),
    }
