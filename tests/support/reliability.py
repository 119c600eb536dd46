"""Helpers of the reliability suite: its figures, the jobs stack, state against service."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from azure.batch import BatchClient
from azure.core.credentials import AzureNamedKeyCredential
from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle
from tests.support.pulumi_stack import local_stack

__all__ = [
    "FIGURES",
    "SOAK",
    "batch_client",
    "compare",
    "faults_snapshot",
    "jobs_stack",
    "record",
]

#: ``RELIABILITY_SOAK=1``: the larger sizes (50 jobs, 20 kill points).
SOAK = os.environ.get("RELIABILITY_SOAK") == "1"
FIGURES: list[dict[str, Any]] = []
#: A program declaring ``count`` BatchJobs named ``prefix-<i>``.
JOBS_PROGRAM = Path(__file__).resolve().parents[1] / "reliability" / "programs" / "jobs"
JOB_TYPE = "azure-batch-jobs:index:BatchJob"


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


def jobs_stack(tmp_path: Path, emulator: EmulatorHandle, count: int, prefix: str) -> auto.Stack:
    """A stack of :data:`JOBS_PROGRAM` for the emulator's account."""
    return local_stack(
        JOBS_PROGRAM,
        tmp_path / "pulumi",
        config={
            "count": str(count),
            "prefix": prefix,
            "azure-batch-jobs:endpoint": emulator.endpoint,
            "azure-batch-jobs:accountName": emulator.account,
        },
        secrets={"azure-batch-jobs:accountKey": emulator.key},
    )


def state_job_ids(stack: auto.Stack) -> list[str]:
    """The ids of the BatchJobs in the stack's state."""
    deployment = stack.export_stack().deployment
    resources = (deployment or {}).get("resources") or []
    return [str(r["id"]) for r in resources if r.get("type") == JOB_TYPE]


def service_job_ids(emulator: EmulatorHandle, prefix: str) -> list[str]:
    """The ids of the service's jobs named ``prefix-...``."""
    client = batch_client(emulator)
    return [str(j.id) for j in client.list_jobs() if str(j.id).startswith(f"{prefix}-")]


def compare(stack: auto.Stack, emulator: EmulatorHandle, prefix: str) -> dict[str, int]:
    """Duplicates (one job twice in state or service), orphans (in the service only) and
    lost jobs (in the state only)."""
    in_state, in_service = state_job_ids(stack), service_job_ids(emulator, prefix)
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
