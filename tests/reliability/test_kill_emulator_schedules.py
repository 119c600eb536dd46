"""The emulator SIGKILLed while a job schedule recurs, restarted on its data directory
each time: no recurrence is created twice or skipped, and no schedule it confirmed is lost.

The emulated clock starts again from real time after a restart, so the recurrence resumes
once the (scaled) clock has caught up with the last job's due time."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from pathlib import Path

from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.credentials import AzureNamedKeyCredential

from batch_emulator.testing import EmulatorHandle, start_emulator
from tests.support.engine import wait
from tests.support.reliability import SOAK, record
from tests.support.sdk_fields import present

#: Emulated seconds per real second: a one-minute recurrence every two real seconds.
SCALE = "30"
INTERVAL = timedelta(minutes=1)


def _start(data_dir: Path) -> EmulatorHandle:
    return start_emulator(
        data_dir=data_dir, nodes=1, engine="instant", extra_args=["--time-scale", SCALE]
    )


def _client(handle: EmulatorHandle) -> BatchClient:
    return BatchClient(handle.endpoint, AzureNamedKeyCredential(handle.account, handle.key))


def _create(client: BatchClient, schedule_id: str) -> None:
    client.create_job_schedule(
        m.BatchJobScheduleCreateOptions(
            id=schedule_id,
            schedule=m.BatchJobScheduleConfiguration(recurrence_interval=INTERVAL),
            job_specification=m.BatchJobSpecification(
                pool_info=m.BatchPoolInfo(pool_id="default"),
                all_tasks_complete_mode="terminatejob",  # no tasks: each job completes at once
            ),
        )
    )


def _numbers(client: BatchClient, schedule_id: str) -> list[int]:
    ids = [str(j.id) for j in client.list_jobs_from_schedule(schedule_id)]
    found = [re.fullmatch(rf"{schedule_id}:job-(\d+)", i) for i in ids]
    assert all(found), ids
    return sorted(int(f.group(1)) for f in found if f)


def _wait_count(client: BatchClient, schedule_id: str, count: int) -> list[int]:
    def enough() -> list[int] | None:
        numbers = _numbers(client, schedule_id)
        return numbers if len(numbers) >= count else None

    return wait(enough, f"{count} recurrences", timeout=60)


def _check_every_slot(client: BatchClient, schedule_id: str) -> list[int]:
    """The schedule's jobs are numbered 1..n, each once, and the next run is recurrence
    n+1 (or n+2 if one came meanwhile): no recurrence repeated or skipped."""
    numbers = _numbers(client, schedule_id)
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    schedule = client.get_job_schedule(schedule_id)
    slots = present(schedule.execution_info.next_run_time) - present(schedule.creation_time)
    assert numbers[-1] <= slots / INTERVAL <= numbers[-1] + 1, (numbers, slots)
    return numbers


def test_sigkill_during_recurrences_repeats_none_skips_none_loses_no_schedule(
    tmp_path: Path,
) -> None:
    rounds = 5 if SOAK else 3
    rng = random.Random(17)  # noqa: S311 - reproducible test randomness
    data = tmp_path / "data"
    confirmed: list[str] = []
    kill_points: list[int] = []
    recurrences = 0
    for round_ in range(rounds):
        handle = _start(data)
        try:
            client = _client(handle)
            for schedule_id in confirmed:  # every schedule a 201 confirmed is still there
                assert client.job_schedule_exists(schedule_id)
            if round_ == 0:
                _create(client, "nightly")
            recurrences = len(_check_every_slot(client, "nightly"))
            more = rng.randint(1, 2)
            kill_points.append(more)
            _wait_count(client, "nightly", recurrences + more)
            _create(client, f"confirmed-{round_}")
            confirmed.append(f"confirmed-{round_}")
        finally:
            handle.process.kill()  # SIGKILL, while the schedule recurs
            handle.process.wait(10)
    handle = _start(data)
    try:
        client = _client(handle)
        for schedule_id in confirmed:
            assert client.job_schedule_exists(schedule_id)
        recurrences = len(_check_every_slot(client, "nightly"))
    finally:
        handle.stop()
    record(
        "kill_emulator_schedules",
        rounds=rounds,
        kill_points=kill_points,
        recurrences=recurrences,
        confirmed_schedules=len(confirmed),
        lost=0,
    )
