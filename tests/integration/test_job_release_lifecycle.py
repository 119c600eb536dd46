"""How a job with a Job Release Task ends, beyond the reference's sentences: running
tasks stop first, a failing release still lets the job complete, and a delete during a
terminate waits for the same release tasks."""

from __future__ import annotations

import pytest

from batch_emulator.testing import EmulatorHandle
from tests.support.engine import WAIT_FOR, Bench, flag_file, sh, wait
from tests.support.sdk_fields import (
    ended,
    exec_info,
    failure,
    job_exec_info,
    node_info,
    present,
    release_info,
)


@pytest.fixture
def bench(engine_emulator: EmulatorHandle) -> Bench:
    return Bench.of(engine_emulator)


def test_terminate_stops_running_tasks_before_the_release_task_runs(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id, prep="/bin/true", release=sh("date +%s%N > ran"))
    bench.task(job_id, "long", "/bin/sleep 3600")
    node_id = str(node_info(bench.wait_task(job_id, "long", "running")).node_id)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    task = bench.client.get_task(job_id, "long")
    assert task.state == "completed"
    assert failure(exec_info(task)).code == "TaskEnded"
    release = release_info(bench.statuses(job_id)[node_id])
    assert present(release.start_time) >= ended(task)


def test_a_failing_release_task_is_reported_and_the_job_still_completes(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id, prep="/bin/true", release=sh("echo oops >&2; exit 3"))
    bench.task(job_id, "t", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t")).node_id)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    info = release_info(bench.statuses(job_id)[node_id])
    assert (info.state, info.exit_code, info.result) == ("completed", 3, "failure")
    assert failure(info).code == "FailureExitCode"
    stderr = bench.task_dir(pool_id, node_id, job_id, "jobrelease") / "stderr.txt"
    assert stderr.read_text() == "oops\n"


def test_deleting_a_terminating_job_waits_for_its_release_then_removes_it(bench: Bench) -> None:
    pool_id = bench.pool()
    shared = "$AZ_BATCH_NODE_SHARED_DIR"
    release = sh(
        f'echo start >> "{shared}/starts-$AZ_BATCH_JOB_ID"; '
        + WAIT_FOR.format(f'"{shared}/go-$AZ_BATCH_JOB_ID"')
    )
    job_id = bench.job(pool_id, prep="/bin/true", release=release)
    bench.task(job_id, "t", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t")).node_id)
    shared_dir = bench.node_dir(pool_id, node_id) / "shared"
    with flag_file(shared_dir, f"go-{job_id}"):
        bench.terminate(job_id)
        bench.wait_release(job_id, node_id, "running")
        bench.delete(job_id)
        wait(lambda: bench.client.get_job(job_id).state == "deleting", "job deleting")
    bench.wait_gone(job_id)
    assert (shared_dir / f"starts-{job_id}").read_text().split() == ["start"]


def test_deleting_a_job_whose_preparation_is_running_runs_no_release(bench: Bench) -> None:
    pool_id = bench.pool()
    release = sh('touch "$AZ_BATCH_NODE_SHARED_DIR/released-$AZ_BATCH_JOB_ID"')
    job_id = bench.job(pool_id, prep="/bin/sleep 3600", release=release)
    bench.task(job_id, "t", "/bin/true")
    wait(lambda: bench.client.get_task(job_id, "t").state == "preparing", "task preparing")
    node_id = str(node_info(bench.client.get_task(job_id, "t")).node_id)
    bench.delete(job_id)
    bench.wait_gone(job_id)
    assert (bench.node_dir(pool_id, node_id) / "shared").is_dir()
    assert not (bench.node_dir(pool_id, node_id) / "shared" / f"released-{job_id}").exists()


def test_a_failed_task_terminates_its_job_when_on_task_failure_says_so(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(
        pool_id,
        prep="/bin/true",
        release=sh('touch "$AZ_BATCH_NODE_SHARED_DIR/released-$AZ_BATCH_JOB_ID"'),
        task_failure_mode="performexitoptionsjobaction",
    )
    bench.task(job_id, "ok", sh("exit 4"), exit_conditions=_exit_options(4, "none"))
    bench.wait_task(job_id, "ok")
    assert bench.client.get_job(job_id).state == "active"
    bench.task(job_id, "fails", sh("exit 5"))
    node_id = str(node_info(bench.wait_task(job_id, "fails")).node_id)
    job = bench.wait_job(job_id, "completed")
    assert job_exec_info(job).termination_reason == "TaskFailed"
    assert (bench.node_dir(pool_id, node_id) / "shared" / f"released-{job_id}").exists()


def _exit_options(code: int, job_action: str) -> object:
    from azure.batch import models as m

    options = m.ExitOptions(job_action=job_action)
    return m.ExitConditions(exit_codes=[m.ExitCodeMapping(code=code, exit_options=options)])
