"""With 20 % injected faults (5xx, 429, resets before and after applying, slow answers),
``pulumi up`` and ``pulumi destroy`` of N jobs converge: no duplicate, no orphan, no lost
job, and the state matches the service after a refresh."""

from __future__ import annotations

from pathlib import Path

from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle
from tests.support.reliability import (
    FAULTS,
    SOAK,
    batch_client,
    compare,
    faults_snapshot,
    jobs_stack,
    record,
    under_faults,
)


def test_up_and_destroy_converge_under_twenty_percent_faults(
    tmp_path: Path, instant_emulator: EmulatorHandle
) -> None:
    emulator, count, prefix = instant_emulator, 50 if SOAK else 10, "conv"
    stack = jobs_stack(tmp_path, emulator, count, prefix)

    up, up_figures = under_faults(emulator, stack.up)
    assert up.summary.result == "succeeded"
    after_up = compare(stack, emulator, prefix)
    assert after_up["duplicates"] == after_up["orphans"] == after_up["lost"] == 0
    assert after_up["jobs_in_service"] == count

    # After a refresh (without faults) the state matches the service: nothing to do.
    stack.refresh()
    preview = stack.preview()
    assert set(preview.change_summary) == {"same"}, preview.change_summary

    destroyed, destroy_figures = under_faults(emulator, stack.destroy)
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

    emulator.set_faults(**lossy)
    stack.up()
    up_faults = faults_snapshot(emulator)
    emulator.set_faults(rate=0)
    after_up = compare(stack, emulator, prefix)
    assert after_up["duplicates"] == after_up["orphans"] == after_up["lost"] == 0
    assert after_up["jobs_in_service"] == count
    client = batch_client(emulator)
    for i in range(count):
        assert sorted(str(t.id) for t in client.list_tasks(f"{prefix}-{i}")) == ["t0", "t1"]
    assert up_faults["by_kind"].get("reset-after", 0) > 0

    stack.set_config("count", auto.ConfigValue(str(count)))
    emulator.set_faults(**lossy)
    stack.destroy()
    destroy_faults = faults_snapshot(emulator)
    emulator.set_faults(rate=0)
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
