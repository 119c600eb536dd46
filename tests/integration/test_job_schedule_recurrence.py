"""Recurrence on the emulator's clock, as the spec's ``BatchJobScheduleConfiguration``
describes it: ``doNotRunUntil``, ``doNotRunAfter``, ``startWindow``, ``recurrenceInterval``,
at most one active job. The clock moves by ``POST /_emulator/clock/advance``; waiting polls
the API. Its own emulator (instant engine), so moving the clock disturbs no other test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.credentials import AzureNamedKeyCredential

from batch_emulator.testing import EmulatorHandle, start_emulator
from tests.support.engine import wait
from tests.support.sdk_fields import present

MINUTE = 60.0


@pytest.fixture(scope="module")
def clock_emulator() -> Iterator[EmulatorHandle]:
    with start_emulator(nodes=1, engine="instant") as handle:
        yield handle


@pytest.fixture
def client(clock_emulator: EmulatorHandle) -> BatchClient:
    credential = AzureNamedKeyCredential(clock_emulator.account, clock_emulator.key)
    return BatchClient(clock_emulator.endpoint, credential)


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _now(emulator: EmulatorHandle) -> datetime:
    answer = emulator.request("POST", "/_emulator/clock/advance?seconds=0")
    return datetime.fromisoformat(str(answer["now"]).replace("Z", "+00:00"))


def _create(
    client: BatchClient, schedule_id: str, *, finish: bool = True, **timing: Any
) -> m.BatchJobSchedule:
    """A schedule whose jobs complete at once (``finish``: no tasks, terminatejob) or stay
    active until the test terminates them."""
    mode = "terminatejob" if finish else "noaction"
    client.create_job_schedule(
        m.BatchJobScheduleCreateOptions(
            id=schedule_id,
            schedule=m.BatchJobScheduleConfiguration(**timing),
            job_specification=m.BatchJobSpecification(
                pool_info=m.BatchPoolInfo(pool_id="default"), all_tasks_complete_mode=mode
            ),
        )
    )
    return client.get_job_schedule(schedule_id)


def _jobs(client: BatchClient, schedule_id: str) -> list[str]:
    return sorted(str(j.id) for j in client.list_jobs_from_schedule(schedule_id))


def _wait_jobs(client: BatchClient, schedule_id: str, count: int) -> list[str]:
    def enough() -> list[str] | None:
        jobs = _jobs(client, schedule_id)
        return jobs if len(jobs) >= count else None

    return wait(enough, f"{count} jobs of {schedule_id}")


def _wait_state(client: BatchClient, schedule_id: str, state: str) -> m.BatchJobSchedule:
    def reached() -> m.BatchJobSchedule | None:
        schedule = client.get_job_schedule(schedule_id)
        return schedule if schedule.state == state else None

    return wait(reached, f"{schedule_id} {state}")


def _end(client: BatchClient, job_id: str) -> None:
    options = m._models.BatchJobTerminateOptions(termination_reason="test")
    client.begin_terminate_job(job_id, options, polling_interval=0).result()


def _ids(schedule_id: str, *numbers: int) -> list[str]:
    return sorted(f"{schedule_id}:job-{n}" for n in numbers)


def _next_run(schedule: m.BatchJobSchedule) -> datetime | None:
    return present(schedule.execution_info).next_run_time


def test_a_recurring_schedule_adds_a_job_each_interval(
    client: BatchClient, clock_emulator: EmulatorHandle
) -> None:
    sid = _new_id("every")
    created = _create(client, sid, recurrence_interval=timedelta(minutes=10))
    assert _jobs(client, sid) == _ids(sid, 1)
    start = present(created.creation_time)
    assert _next_run(created) == start + timedelta(minutes=10)
    assert present(present(created.execution_info).recent_job).id == f"{sid}:job-1"
    clock_emulator.advance_clock(10 * MINUTE)
    assert _wait_jobs(client, sid, 2) == _ids(sid, 1, 2)
    clock_emulator.advance_clock(10 * MINUTE)
    assert _wait_jobs(client, sid, 3) == _ids(sid, 1, 2, 3)
    schedule = client.get_job_schedule(sid)
    assert _next_run(schedule) == start + timedelta(minutes=30)
    assert present(present(schedule.execution_info).recent_job).id == f"{sid}:job-3"


def test_without_recurrence_one_job_then_completed(client: BatchClient) -> None:
    sid = _new_id("once")
    _create(client, sid)
    done = _wait_state(client, sid, "completed")
    assert _jobs(client, sid) == _ids(sid, 1)
    assert present(done.execution_info).end_time is not None


def test_do_not_run_until(client: BatchClient, clock_emulator: EmulatorHandle) -> None:
    sid = _new_id("until")
    until = _now(clock_emulator) + timedelta(hours=1)
    schedule = _create(client, sid, do_not_run_until=until)
    assert _jobs(client, sid) == []
    assert _next_run(schedule) == until
    clock_emulator.advance_clock(59 * MINUTE)
    assert _jobs(client, sid) == []
    clock_emulator.advance_clock(MINUTE)
    assert _wait_jobs(client, sid, 1) == _ids(sid, 1)
    _wait_state(client, sid, "completed")


def test_a_due_job_waits_for_the_active_one(
    client: BatchClient, clock_emulator: EmulatorHandle
) -> None:
    sid = _new_id("one")
    _create(client, sid, finish=False, recurrence_interval=timedelta(minutes=10))
    clock_emulator.advance_clock(12 * MINUTE)
    assert _jobs(client, sid) == _ids(sid, 1)  # job-1 is still active
    _end(client, f"{sid}:job-1")
    assert _wait_jobs(client, sid, 2) == _ids(sid, 1, 2)


def test_the_opportunity_is_lost_when_the_start_window_passes(
    client: BatchClient, clock_emulator: EmulatorHandle
) -> None:
    sid = _new_id("window")
    created = _create(
        client,
        sid,
        finish=False,
        recurrence_interval=timedelta(minutes=10),
        start_window=timedelta(minutes=2),
    )
    start = present(created.creation_time)
    clock_emulator.advance_clock(13 * MINUTE)  # job-2 was due at 10, its window closed at 12
    wait(
        lambda: _next_run(client.get_job_schedule(sid)) == start + timedelta(minutes=20),
        "the lost opportunity skipped",
    )
    _end(client, f"{sid}:job-1")
    assert _jobs(client, sid) == _ids(sid, 1)
    clock_emulator.advance_clock(7 * MINUTE)
    assert _wait_jobs(client, sid, 2) == _ids(sid, 1, 2)


def test_completed_after_do_not_run_after_once_no_job_is_active(
    client: BatchClient, clock_emulator: EmulatorHandle
) -> None:
    sid = _new_id("after")
    after = _now(clock_emulator) + timedelta(minutes=25)
    timing = {"recurrence_interval": timedelta(minutes=10), "do_not_run_after": after}
    _create(client, sid, finish=False, **timing)
    for n in (2, 3):
        _end(client, f"{sid}:job-{n - 1}")
        clock_emulator.advance_clock(10 * MINUTE)
        _wait_jobs(client, sid, n)
    clock_emulator.advance_clock(10 * MINUTE)  # past doNotRunAfter, job-3 still active
    schedule = client.get_job_schedule(sid)
    assert schedule.state == m.BatchJobScheduleState.ACTIVE
    assert _next_run(schedule) is None
    _end(client, f"{sid}:job-3")
    _wait_state(client, sid, "completed")
    assert _jobs(client, sid) == _ids(sid, 1, 2, 3)


def test_a_disabled_schedule_adds_no_job_until_enabled(
    client: BatchClient, clock_emulator: EmulatorHandle
) -> None:
    sid = _new_id("off")
    _create(client, sid, recurrence_interval=timedelta(minutes=10))
    client.disable_job_schedule(sid)
    clock_emulator.advance_clock(11 * MINUTE)
    assert _jobs(client, sid) == _ids(sid, 1)
    client.enable_job_schedule(sid)  # job-2's window (the interval) is still open
    assert _wait_jobs(client, sid, 2) == _ids(sid, 1, 2)
