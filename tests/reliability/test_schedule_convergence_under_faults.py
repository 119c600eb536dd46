"""With 20 % injected faults (5xx, 429, resets before and after applying, slow answers),
``pulumi up`` and ``pulumi destroy`` of 20 job schedules converge: no schedule twice, none
orphaned or lost, at most one job per schedule (no recurrence made twice by a retried
create), the state matches the service after a refresh, and destroy leaves no schedule and
no job."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from batch_emulator.testing import EmulatorHandle
from tests.support.reliability import (
    FAULTS,
    SCHEDULES_PROGRAM,
    SOAK,
    compare_schedules,
    faults_snapshot,
    jobs_stack,
    record,
    service_job_ids,
    under_faults,
)


def test_up_and_destroy_of_twenty_schedules_converge_under_twenty_percent_faults(
    tmp_path: Path, instant_emulator: EmulatorHandle
) -> None:
    emulator, count, prefix = instant_emulator, 50 if SOAK else 20, "nightly"
    stack = jobs_stack(tmp_path, emulator, count, prefix, SCHEDULES_PROGRAM)

    up, up_figures = under_faults(emulator, stack.up)
    assert up.summary.result == "succeeded"
    after_up = compare_schedules(stack, emulator, prefix)
    assert after_up["duplicates"] == after_up["orphans"] == after_up["lost"] == 0, after_up
    assert after_up["jobs_in_service"] == count
    per_schedule = Counter(job.split(":")[0] for job in service_job_ids(emulator, prefix))
    assert max(per_schedule.values(), default=0) <= 1, per_schedule

    stack.refresh()
    preview = stack.preview()
    assert set(preview.change_summary) == {"same"}, preview.change_summary

    destroyed, destroy_figures = under_faults(emulator, stack.destroy)
    assert destroyed.summary.result == "succeeded"
    after_destroy = compare_schedules(stack, emulator, prefix)
    assert after_destroy["jobs_in_state"] == after_destroy["jobs_in_service"] == 0
    assert after_destroy["jobs_of_schedules"] == 0

    record(
        "schedules_up_destroy_under_faults",
        schedules=count,
        fault_rate=FAULTS["rate"],
        up={**up_figures, **after_up},
        destroy={**destroy_figures, **after_destroy},
    )


def test_lost_responses_to_schedule_writes_neither_duplicate_nor_fail(
    tmp_path: Path, instant_emulator: EmulatorHandle
) -> None:
    """30 % of Create, Terminate and Delete Job Schedule requests are applied and their
    responses lost (or the connection reset before): azure-core retries them, the create
    token makes a retried create find its own schedule, a retried terminate or delete finds
    it already ending or gone."""
    emulator, count, prefix = instant_emulator, 8, "lost"
    stack = jobs_stack(tmp_path, emulator, count, prefix, SCHEDULES_PROGRAM)
    writes = [
        "JobSchedules_CreateJobSchedule",
        "JobSchedules_TerminateJobSchedule",
        "JobSchedules_DeleteJobSchedule",
    ]
    lossy = {"rate": 0.3, "kinds": ["reset-after", "reset-before"], "ops": writes, "seed": 8}

    emulator.set_faults(**lossy)
    stack.up()
    up_faults = faults_snapshot(emulator)
    emulator.set_faults(rate=0)
    after_up = compare_schedules(stack, emulator, prefix)
    assert after_up["duplicates"] == after_up["orphans"] == after_up["lost"] == 0, after_up
    assert after_up["jobs_in_service"] == count
    assert up_faults["by_kind"].get("reset-after", 0) > 0, up_faults

    emulator.set_faults(**lossy)
    stack.destroy()
    destroy_faults = faults_snapshot(emulator)
    emulator.set_faults(rate=0)
    after_destroy = compare_schedules(stack, emulator, prefix)
    assert after_destroy["jobs_in_state"] == after_destroy["jobs_in_service"] == 0
    assert after_destroy["jobs_of_schedules"] == 0
    record(
        "lost_schedule_write_responses",
        schedules=count,
        up={"faults": up_faults["by_kind"], **after_up},
        destroy={"faults": destroy_faults["by_kind"], **after_destroy},
    )
