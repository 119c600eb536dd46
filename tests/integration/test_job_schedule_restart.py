"""An emulator SIGKILLed while a schedule recurs, restarted on its data directory: no
recurrence is created twice or skipped, and no confirmed schedule is lost."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.credentials import AzureNamedKeyCredential

from batch_emulator.testing import EmulatorHandle, start_emulator
from tests.support.engine import wait
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


def test_a_killed_emulator_resumes_recurrences_without_repeating_or_skipping(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    first = _start(data)
    try:
        client = _client(first)
        _create(client, "nightly")
        before = _wait_count(client, "nightly", 3)
        _create(client, "confirmed")  # answered 201: must survive the kill
    finally:
        first.process.kill()
        first.process.wait()
    second = _start(data)
    try:
        client = _client(second)
        assert client.get_job_schedule("confirmed").state == m.BatchJobScheduleState.ACTIVE
        after = _wait_count(client, "nightly", len(before) + 2)
        assert after == list(range(1, len(after) + 1))  # each recurrence once, none missing
        schedule = client.get_job_schedule("nightly")
        info = present(schedule.execution_info)
        assert present(info.recent_job).id == f"nightly:job-{after[-1]}"
        # Recurrence n+1 is the next one due: every slot so far has had its job.
        created = present(schedule.creation_time)
        next_run = present(info.next_run_time)
        assert next_run - created >= INTERVAL * after[-1]
        assert next_run - created <= INTERVAL * (after[-1] + 1)
    finally:
        second.stop()
