"""With 20 % injected faults (5xx, 429, resets before and after applying, slow answers),
``pulumi up`` and ``pulumi destroy`` of N jobs converge: no duplicate, no orphan, no lost
job, and the state matches the service after a refresh."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pulumi import automation as auto

from tests.reliability.conftest import batch_client
from tests.reliability.support import SOAK, faults_snapshot, record, set_faults
from tests.support.emulator import EmulatorHandle
from tests.support.pulumi_stack import local_stack

PROGRAM = Path(__file__).parent / "programs" / "jobs"
JOB_TYPE = "azure-batch-jobs:index:BatchJob"
FAULTS = {
    "rate": 0.2,
    "kinds": ["500", "503", "429", "reset-before", "reset-after", "slow"],
    "slow_seconds": 0.2,
    "retry_after_seconds": 1,
    "seed": 20,
}
T = TypeVar("T")


def jobs_stack(tmp_path: Path, emulator: EmulatorHandle, count: int, prefix: str) -> auto.Stack:
    return local_stack(
        PROGRAM,
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
    deployment = stack.export_stack().deployment
    resources = deployment.get("resources") or []
    return [str(r["id"]) for r in resources if r.get("type") == JOB_TYPE]


def service_job_ids(emulator: EmulatorHandle, prefix: str) -> list[str]:
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


def test_up_and_destroy_converge_under_twenty_percent_faults(
    tmp_path: Path, instant_emulator: EmulatorHandle
) -> None:
    emulator, count, prefix = instant_emulator, 50 if SOAK else 10, "conv"
    stack = jobs_stack(tmp_path, emulator, count, prefix)

    up, up_figures = _under_faults(emulator, stack.up)
    assert up.summary.result == "succeeded"
    after_up = compare(stack, emulator, prefix)
    assert after_up["duplicates"] == after_up["orphans"] == after_up["lost"] == 0
    assert after_up["jobs_in_service"] == count

    # After a refresh (without faults) the state matches the service: nothing to do.
    stack.refresh()
    preview = stack.preview()
    assert set(preview.change_summary) == {"same"}, preview.change_summary

    destroyed, destroy_figures = _under_faults(emulator, stack.destroy)
    assert destroyed.summary.result == "succeeded"
    after_destroy = compare(stack, emulator, prefix)
    assert after_destroy["jobs_in_state"] == after_destroy["jobs_in_service"] == 0

    record(
        "up_destroy_under_faults",
        jobs=count,
        fault_rate=FAULTS["rate"],
        up={**up_figures, **after_up},
        destroy={**destroy_figures, **after_destroy},
    )


def test_lost_responses_to_every_kind_of_write_neither_duplicate_nor_fail(
    tmp_path: Path, instant_emulator: EmulatorHandle
) -> None:
    """30 % of Add Job, Add Task Collection, Update Job and Delete Job requests are
    applied and their responses lost (or the connection reset before): azure-core
    retries the POST/PATCH/DELETE, the create token and TaskExists make it idempotent."""
    emulator, count, prefix = instant_emulator, 20 if SOAK else 6, "lost"
    stack = jobs_stack(tmp_path, emulator, count, prefix)
    writes = ["Jobs_CreateJob", "Tasks_CreateTaskCollection", "Jobs_UpdateJob", "Jobs_DeleteJob"]
    lossy = {"rate": 0.3, "kinds": ["reset-after", "reset-before"], "ops": writes, "seed": 8}

    set_faults(emulator, **lossy)
    stack.up()
    up_faults = faults_snapshot(emulator)
    set_faults(emulator, rate=0)
    after_up = compare(stack, emulator, prefix)
    assert after_up["duplicates"] == after_up["orphans"] == after_up["lost"] == 0
    assert after_up["jobs_in_service"] == count
    client = batch_client(emulator)
    for i in range(count):
        assert sorted(str(t.id) for t in client.list_tasks(f"{prefix}-{i}")) == ["t0", "t1"]
    assert up_faults["by_kind"].get("reset-after", 0) > 0

    stack.set_config("count", auto.ConfigValue(str(count)))
    set_faults(emulator, **lossy)
    stack.destroy()
    destroy_faults = faults_snapshot(emulator)
    set_faults(emulator, rate=0)
    after_destroy = compare(stack, emulator, prefix)
    assert after_destroy["jobs_in_state"] == after_destroy["jobs_in_service"] == 0
    record(
        "lost_write_responses",
        jobs=count,
        up={"requests": up_faults["eligible_requests"], "faults": up_faults["by_kind"], **after_up},
        destroy={
            "requests": destroy_faults["eligible_requests"],
            "faults": destroy_faults["by_kind"],
            **after_destroy,
        },
    )


def _under_faults(emulator: EmulatorHandle, command: Callable[[], T]) -> tuple[T, dict[str, Any]]:
    """Run a stack command with ``FAULTS`` switched on; its result and fault figures."""
    emulator.reset_stats()
    set_faults(emulator, **FAULTS)
    started = time.monotonic()
    result = command()
    seconds = time.monotonic() - started
    faults = faults_snapshot(emulator)
    set_faults(emulator, rate=0)
    return result, {
        "requests": faults["eligible_requests"],
        "faults_injected": faults["injected"],
        "faults_by_kind": faults["by_kind"],
        "seconds": round(seconds, 1),
    }
