"""A job schedule's jobs run like any job on the process engine: the Job Manager task,
preparation before the first task on a node, release on each node where preparation ran;
deleting or terminating the schedule ends its active job, release first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from azure.batch import models as m

from batch_emulator.testing import start_emulator
from tests.support.engine import SHARED, WAIT_FOR, Bench, sh, wait
from tests.support.sdk_fields import job_exec_info, node_info, present

PREP = sh(f'echo "$AZ_BATCH_JOB_ID" >> "{SHARED}/prepared"')
RELEASE = sh(f'echo "$AZ_BATCH_JOB_ID" >> "{SHARED}/released"')


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    root = tmp_path_factory.mktemp("nodes")
    with start_emulator(nodes=2, slots=1, node_root=root) as handle:
        yield Bench.of(handle)


def _flag(tmp: Path, name: str) -> str:
    return WAIT_FOR.format(f'"{tmp}/{name}"')


def _schedule(bench: Bench, tmp: Path, *, release: str = RELEASE, **timing: Any) -> str:
    """A schedule whose Job Manager waits for ``<tmp>/<job id>`` (not killing the job on
    completion); one job at a time on the default pool's two nodes."""
    schedule_id = bench.new_id("sched")
    manager = m.BatchJobManagerTask(
        id="manager",
        command_line=sh(_flag(tmp, "$AZ_BATCH_JOB_ID")),
        kill_job_on_completion=True,
    )
    bench.client.create_job_schedule(
        m.BatchJobScheduleCreateOptions(
            id=schedule_id,
            schedule=m.BatchJobScheduleConfiguration(**timing),
            job_specification=m.BatchJobSpecification(
                pool_info=m.BatchPoolInfo(pool_id="default"),
                job_manager_task=manager,
                job_preparation_task=m.BatchJobPreparationTask(command_line=PREP),
                job_release_task=m.BatchJobReleaseTask(command_line=release),
            ),
        )
    )
    return schedule_id


def _marks(bench: Bench, name: str) -> dict[str, list[str]]:
    """Per node of the default pool, the job ids a task wrote to ``shared/<name>``."""
    out = {}
    for node in bench.nodes("default"):
        path = bench.node_dir("default", str(node.id)) / "shared" / name
        out[str(node.id)] = path.read_text().split() if path.exists() else []
    return out


def _wait_listed(bench: Bench, schedule_id: str, job_id: str) -> None:
    jobs = bench.client.list_jobs_from_schedule
    wait(lambda: job_id in {j.id for j in jobs(schedule_id)}, f"{job_id} created")


def _run_job(bench: Bench, tmp: Path, job_id: str) -> None:
    """The Job Manager is running on one node: a task on the other, then the manager
    completes and so ends the job."""
    bench.wait_task(job_id, "manager", "running")
    bench.task(job_id, "work", "/bin/true")
    work = bench.wait_task(job_id, "work")
    manager = bench.client.get_task(job_id, "manager")
    assert node_info(work).node_id != node_info(manager).node_id
    (tmp / job_id).touch()
    bench.wait_job(job_id, "completed")


def test_each_recurrence_runs_manager_preparation_and_release_on_each_node(
    bench: Bench, tmp_path: Path
) -> None:
    sid = _schedule(bench, tmp_path, recurrence_interval=timedelta(minutes=1))
    for n in (1, 2):
        job_id = f"{sid}:job-{n}"
        if n == 2:
            bench.emulator.advance_clock(60)
        _wait_listed(bench, sid, job_id)
        _run_job(bench, tmp_path, job_id)
        job = bench.client.get_job(job_id)
        assert job_exec_info(job).termination_reason == "JMComplete"
        for node_id in _marks(bench, "released"):
            bench.wait_release(job_id, node_id, "completed")
    expected = sorted(f"{sid}:job-{n}" for n in (1, 2))
    for marks in (_marks(bench, "prepared"), _marks(bench, "released")):
        for ids in marks.values():
            assert sorted(i for i in ids if i.startswith(sid)) == expected


@pytest.mark.parametrize("verb", ["delete", "terminate"])
def test_ending_the_schedule_ends_its_job_release_first(
    bench: Bench, tmp_path: Path, verb: str
) -> None:
    release = sh(_flag(tmp_path, "release-go") + f'; echo "$AZ_BATCH_JOB_ID" >> "{SHARED}/ended"')
    sid = _schedule(bench, tmp_path, release=release)
    job_id = f"{sid}:job-1"
    bench.wait_task(job_id, "manager", "running")
    if verb == "delete":
        bench.client.begin_delete_job_schedule(sid)
        ending = "deleting"
    else:
        bench.client.begin_terminate_job_schedule(sid)
        ending = "terminating"
    [node_id] = [n for n, ids in _marks(bench, "prepared").items() if job_id in ids]
    bench.wait_release(job_id, node_id, "running")
    assert bench.client.get_job_schedule(sid).state == ending
    (tmp_path / "release-go").touch()
    if verb == "delete":
        wait(lambda: sid not in {s.id for s in bench.client.list_job_schedules()}, "gone")
        bench.wait_gone(job_id)
    else:
        wait(lambda: bench.client.get_job_schedule(sid).state == "completed", "completed")
        schedule = bench.client.get_job_schedule(sid)
        assert present(schedule.execution_info).end_time is not None
        job = bench.client.get_job(job_id)
        assert job.state == m.BatchJobState.COMPLETED
        assert job_exec_info(job).termination_reason == "TerminateJobSchedule"
    assert job_id in _marks(bench, "ended")[node_id]
