"""The Job Preparation Task on emulated nodes: before the first task on a node, once;
``waitForSuccess``; ``rerunOnNodeRebootAfterSuccess``; per-node execution info."""

from __future__ import annotations

import pytest
from azure.batch import models as m

from batch_emulator.testing import EmulatorHandle
from tests.support.engine import Bench, sh, wait
from tests.support.sdk_fields import exec_info, failure, node_info, prep_info, present, started

COUNT_PREP = sh(
    'echo ran >> "$AZ_BATCH_NODE_SHARED_DIR/preps-$AZ_BATCH_JOB_ID"; echo ready > ready'
)


@pytest.fixture
def bench(engine_emulator: EmulatorHandle) -> Bench:
    return Bench.of(engine_emulator)


def preps(bench: Bench, pool_id: str, node_id: str, job_id: str) -> int:
    path = bench.node_dir(pool_id, node_id) / "shared" / f"preps-{job_id}"
    return len(path.read_text().split()) if path.exists() else 0


def test_preparation_runs_before_the_first_task_on_a_node_and_only_once(bench: Bench) -> None:
    pool_id = bench.pool(nodes=1, slots=1)
    job_id = bench.job(pool_id, prep=COUNT_PREP)
    for task_id in ("a", "b", "c"):
        bench.task(job_id, task_id, sh('cat "$AZ_BATCH_JOB_PREP_WORKING_DIR/ready"'))
    tasks = [bench.wait_task(job_id, t) for t in ("a", "b", "c")]
    node_id = str(node_info(tasks[0]).node_id)
    assert preps(bench, pool_id, node_id, job_id) == 1
    status = bench.statuses(job_id)[node_id]
    prep = prep_info(status)
    assert prep.state == "completed" and prep.exit_code == 0 and prep.result == "success"
    assert prep.task_root_directory == f"workitems/{job_id}/job-1/jobpreparation"
    assert present(prep.end_time) <= min(started(t) for t in tasks)
    for task in tasks:
        task_dir = bench.task_dir(pool_id, node_id, job_id, str(task.id))
        assert (task_dir / "stdout.txt").read_text() == "ready\n"


def test_failed_preparation_with_wait_for_success_keeps_tasks_off_the_node(bench: Bench) -> None:
    pool_id = bench.pool(nodes=1, slots=1)
    job_id = bench.job(pool_id, prep=sh("exit 4"), prep_options={"wait_for_success": True})
    bench.task(job_id, "t", "/bin/true")
    node_id = wait(lambda: next(iter(bench.statuses(job_id)), None), "a preparation status")
    wait(
        lambda: prep_info(bench.statuses(job_id)[node_id]).state == "completed",
        "preparation completed",
    )
    prep = prep_info(bench.statuses(job_id)[node_id])
    assert (prep.exit_code, prep.result) == (4, "failure")
    assert failure(prep).code == "FailureExitCode"
    wait(lambda: bench.client.get_task(job_id, "t").state == "active", "task back in the queue")
    task = bench.client.get_task(job_id, "t")
    assert exec_info(task).start_time is None


def test_failed_preparation_without_wait_for_success_lets_tasks_run(bench: Bench) -> None:
    pool_id = bench.pool(nodes=1, slots=1)
    job_id = bench.job(pool_id, prep=sh("exit 4"), prep_options={"wait_for_success": False})
    bench.task(job_id, "t", "/bin/true")
    task = bench.wait_task(job_id, "t")
    assert exec_info(task).exit_code == 0
    prep = prep_info(bench.statuses(job_id)[str(node_info(task).node_id)])
    assert prep.exit_code == 4


@pytest.mark.parametrize("rerun", [True, False])
def test_preparation_after_a_reboot_follows_rerun_on_node_reboot_after_success(
    bench: Bench, rerun: bool
) -> None:
    pool_id = bench.pool(nodes=1, slots=1)
    options = {"rerun_on_node_reboot_after_success": rerun}
    job_id = bench.job(pool_id, prep=COUNT_PREP, prep_options=options)
    bench.task(job_id, "before", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "before")).node_id)
    bench.reboot(pool_id, node_id)
    bench.wait_node(pool_id, node_id, "idle")
    bench.task(job_id, "after", "/bin/true")
    bench.wait_task(job_id, "after")
    assert preps(bench, pool_id, node_id, job_id) == (2 if rerun else 1)


def test_preparation_retries_up_to_its_max_task_retry_count(bench: Bench) -> None:
    pool_id = bench.pool(nodes=1, slots=1)
    script = 'echo x >> "$AZ_BATCH_NODE_SHARED_DIR/tries-$AZ_BATCH_JOB_ID"; exit 1'
    job_id = bench.job(
        pool_id,
        prep=sh(script),
        prep_options={"constraints": m.BatchTaskConstraints(max_task_retry_count=2)},
    )
    bench.task(job_id, "t", "/bin/true")
    node_id = wait(lambda: next(iter(bench.statuses(job_id)), None), "a preparation status")
    wait(
        lambda: prep_info(bench.statuses(job_id)[node_id]).state == "completed",
        "preparation completed",
    )
    prep = prep_info(bench.statuses(job_id)[node_id])
    assert prep.retry_count == 2
    tries = bench.node_dir(pool_id, node_id) / "shared" / f"tries-{job_id}"
    assert tries.read_text().split() == ["x", "x", "x"]
