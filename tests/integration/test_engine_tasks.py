"""Running tasks on emulated nodes: environment, directories, exit codes, retries, limits,
slots, resource files, termination, reboot and reimage."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from azure.batch import models as m

from batch_emulator.testing import EmulatorHandle
from tests.support.engine import WAIT_FOR, Bench, alive, sh, wait
from tests.support.sdk_fields import ended, exec_info, failure, node_info, present, started


@pytest.fixture
def bench(engine_emulator: EmulatorHandle) -> Bench:
    return Bench.of(engine_emulator)


def test_task_runs_in_its_working_directory_with_the_batch_environment(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id)
    bench.task(job_id, "env", "/usr/bin/env")
    task = bench.wait_task(job_id, "env")
    assert exec_info(task).exit_code == 0
    assert exec_info(task).result == "success"
    node_id = str(node_info(task).node_id)
    task_dir = bench.task_dir(pool_id, node_id, job_id, "env")
    assert node_info(task).task_root_directory == f"workitems/{job_id}/job-1/env"
    env = dict(
        line.split("=", 1)
        for line in (task_dir / "stdout.txt").read_text().splitlines()
        if "=" in line
    )
    node_dir = bench.node_dir(pool_id, node_id)
    assert env["AZ_BATCH_ACCOUNT_NAME"] == bench.emulator.account
    assert env["AZ_BATCH_ACCOUNT_URL"] == bench.emulator.endpoint
    assert env["AZ_BATCH_POOL_ID"] == pool_id
    assert env["AZ_BATCH_NODE_ID"] == node_id
    assert env["AZ_BATCH_JOB_ID"] == job_id
    assert env["AZ_BATCH_TASK_ID"] == "env"
    assert env["AZ_BATCH_NODE_ROOT_DIR"] == str(node_dir)
    assert env["AZ_BATCH_NODE_SHARED_DIR"] == str(node_dir / "shared")
    assert env["AZ_BATCH_NODE_STARTUP_DIR"] == str(node_dir / "startup")
    assert env["AZ_BATCH_TASK_DIR"] == str(task_dir)
    assert env["AZ_BATCH_TASK_WORKING_DIR"] == str(task_dir / "wd")
    assert env["AZ_BATCH_TASK_USER_IDENTITY"] == "TaskNonAdmin"
    assert (task_dir / "stderr.txt").read_text() == ""
    for name in ("shared", "startup", "workitems"):
        assert (node_dir / name).is_dir()


def test_task_settings_override_the_job_common_environment(bench: Bench) -> None:
    pool_id = bench.pool()
    common = [
        m.EnvironmentSetting(name="SHARED", value="from-job"),
        m.EnvironmentSetting(name="ONLY_JOB", value="job"),
    ]
    job_id = bench.job(pool_id, common_environment_settings=common)
    own = [m.EnvironmentSetting(name="SHARED", value="from-task")]
    bench.task(job_id, "t", sh('echo "$SHARED $ONLY_JOB"; pwd >&2'), environment_settings=own)
    task = bench.wait_task(job_id, "t")
    task_dir = bench.task_dir(pool_id, str(node_info(task).node_id), job_id, "t")
    assert (task_dir / "stdout.txt").read_text() == "from-task job\n"
    assert (task_dir / "stderr.txt").read_text() == f"{task_dir / 'wd'}\n"


def test_exit_code_and_failure_info_are_recorded(bench: Bench) -> None:
    job_id = bench.job(bench.pool())
    bench.task(job_id, "fails", sh("exit 3"))
    task = bench.wait_task(job_id, "fails")
    info = exec_info(task)
    assert info.exit_code == 3
    assert info.result == "failure"
    assert failure(info).category == "usererror"
    assert failure(info).code == "FailureExitCode"
    assert info.start_time is not None and ended(task) >= info.start_time
    counts = bench.client.get_job_task_counts(job_id).task_counts
    assert (counts.completed, counts.failed, counts.succeeded) == (1, 1, 0)


def test_job_statistics_count_completed_tasks(bench: Bench) -> None:
    job_id = bench.job(bench.pool())
    bench.task(job_id, "ok", "/bin/true")
    bench.task(
        job_id, "bad", sh("exit 1"), constraints=m.BatchTaskConstraints(max_task_retry_count=1)
    )
    bench.wait_task(job_id, "ok")
    bench.wait_task(job_id, "bad")
    stats = bench.client.get_job(job_id, expand=["stats"]).job_statistics
    assert stats is not None
    assert (stats.succeeded_tasks_count, stats.failed_tasks_count) == (1, 1)
    assert stats.task_retries_count == 1
    assert stats.url.endswith(f"/jobs/{job_id}/stats")
    assert bench.client.get_job(job_id).job_statistics is None


def test_missing_program_fails_the_task_without_retrying(bench: Bench) -> None:
    job_id = bench.job(bench.pool())
    constraints = m.BatchTaskConstraints(max_task_retry_count=3)
    bench.task(job_id, "nope", "no-such-program --flag", constraints=constraints)
    info = exec_info(bench.wait_task(job_id, "nope"))
    assert failure(info).code == "CommandProgramNotFound"
    assert info.exit_code is None
    assert info.retry_count == 0


def test_failed_task_is_retried_up_to_max_task_retry_count(bench: Bench) -> None:
    job_id = bench.job(bench.pool())
    constraints = m.BatchTaskConstraints(max_task_retry_count=2)
    bench.task(job_id, "r", sh("echo x >> ../attempts; exit 1"), constraints=constraints)
    task = bench.wait_task(job_id, "r")
    assert exec_info(task).retry_count == 2
    assert exec_info(task).last_retry_time is not None
    task_dir = _task_dir(bench, task, job_id, "r")
    assert (task_dir / "attempts").read_text() == "x\nx\nx\n"


def test_retry_that_succeeds_completes_the_task(bench: Bench) -> None:
    job_id = bench.job(bench.pool())
    constraints = m.BatchTaskConstraints(max_task_retry_count=5)
    script = "if [ -e ../tried ]; then exit 0; fi; touch ../tried; exit 7"
    bench.task(job_id, "r", sh(script), constraints=constraints)
    task = bench.wait_task(job_id, "r")
    assert (exec_info(task).exit_code, exec_info(task).retry_count) == (0, 1)
    assert exec_info(task).result == "success"


def test_task_max_wall_clock_time_kills_it(bench: Bench) -> None:
    job_id = bench.job(bench.pool())
    constraints = m.BatchTaskConstraints(max_wall_clock_time=timedelta(minutes=5))
    bench.task(job_id, "long", "/bin/sleep 3600", constraints=constraints)
    bench.wait_task(job_id, "long", "running")
    bench.emulator.advance_clock(5 * 60 + 1)
    info = exec_info(bench.wait_task(job_id, "long"))
    assert info.result == "failure"
    assert failure(info).code == "MaxWallClockTimeExceeded"


def test_next_task_starts_when_a_slot_frees(bench: Bench) -> None:
    pool_id = bench.pool(nodes=1, slots=1)
    gate = bench.node_root / f"gate-{bench.new_id('g')}"
    job_id = bench.job(pool_id)
    bench.task(job_id, "first", sh(WAIT_FOR.format(gate)))
    bench.task(job_id, "second", "/bin/true")
    bench.wait_task(job_id, "first", "running")
    assert bench.client.get_task(job_id, "second").state == "active"
    node = bench.nodes(pool_id)[0]
    assert (node.state, node.running_tasks_count) == ("running", 1)
    gate.touch()
    second = bench.wait_task(job_id, "second")
    first = bench.client.get_task(job_id, "first")
    assert started(second) >= ended(first)
    wait(lambda: bench.nodes(pool_id)[0].state == "idle", "node idle")
    assert bench.nodes(pool_id)[0].total_tasks_run == 2


def test_required_slots_are_honoured(bench: Bench) -> None:
    pool_id = bench.pool(nodes=1, slots=2)
    gate = bench.node_root / f"gate-{bench.new_id('g')}"
    job_id = bench.job(pool_id)
    bench.task(job_id, "small", sh(WAIT_FOR.format(gate)))
    bench.task(job_id, "big", "/bin/true", required_slots=2)
    bench.task(job_id, "small2", sh(WAIT_FOR.format(gate)))
    bench.wait_task(job_id, "small", "running")
    bench.wait_task(job_id, "small2", "running")
    assert bench.client.get_task(job_id, "big").state == "active"
    assert bench.nodes(pool_id)[0].running_task_slots_count == 2
    gate.touch()
    big = bench.wait_task(job_id, "big")
    assert exec_info(big).exit_code == 0
    ends = [ended(bench.client.get_task(job_id, t)) for t in ("small", "small2")]
    assert started(big) >= max(ends)


def test_dependent_tasks_wait_for_their_dependencies_to_succeed(bench: Bench) -> None:
    pool_id = bench.pool(nodes=2, slots=2)
    gate = bench.node_root / f"gate-{bench.new_id('g')}"
    job_id = bench.job(pool_id, uses_task_dependencies=True)
    bench.task(job_id, "1", sh(WAIT_FOR.format(gate)))
    bench.task(job_id, "2", "/bin/true")
    bench.task(job_id, "fails", sh("exit 2"))
    after = m.BatchTaskDependencies(
        task_ids=["2"], task_id_ranges=[m.BatchTaskIdRange(start=1, end=1)]
    )
    bench.task(job_id, "after", "/bin/true", depends_on=after)
    blocked = m.BatchTaskDependencies(task_ids=["fails"])
    bench.task(job_id, "never", "/bin/true", depends_on=blocked)
    bench.wait_task(job_id, "2")
    bench.wait_task(job_id, "fails")
    assert bench.client.get_task(job_id, "after").state == "active"
    gate.touch()
    after_task = bench.wait_task(job_id, "after")
    first = bench.client.get_task(job_id, "1")
    assert started(after_task) >= ended(first)
    assert bench.client.get_task(job_id, "never").state == "active"


def test_pack_fills_one_node_before_the_next(bench: Bench) -> None:
    pool_id = bench.new_id("pool")
    bench.client.create_pool(
        m.BatchPoolCreateOptions(
            id=pool_id,
            vm_size="standard_d2s_v3",
            target_dedicated_nodes=2,
            task_slots_per_node=3,
            task_scheduling_policy=m.BatchTaskSchedulingPolicy(node_fill_type="pack"),
        )
    )
    gate = bench.node_root / f"gate-{bench.new_id('g')}"
    job_id = bench.job(pool_id)
    for i in range(3):
        bench.task(job_id, f"p{i}", sh(WAIT_FOR.format(gate)))
    tasks = [bench.wait_task(job_id, f"p{i}", "running") for i in range(3)]
    gate.touch()
    assert len({node_info(t).node_id for t in tasks}) == 1


def test_resource_files_from_http_and_a_storage_container(bench: Bench, file_server: str) -> None:
    job_id = bench.job(bench.pool())
    files = [
        m.ResourceFile(
            http_url=f"{file_server}/files/hello.sh", file_path="run.sh", file_mode="700"
        ),
        m.ResourceFile(storage_container_url=f"{file_server}/container?sv=x", file_path="blobs"),
    ]
    bench.task(job_id, "rf", "./run.sh", resource_files=files)
    task = bench.wait_task(job_id, "rf")
    assert exec_info(task).exit_code == 0
    wd = _task_dir(bench, task, job_id, "rf") / "wd"
    assert (wd / "run.sh").stat().st_mode & 0o777 == 0o700
    assert (wd / "blobs" / "b.txt").read_text() == "blob b\n"
    assert (wd / "blobs" / "data" / "a.txt").read_text() == "blob a\n"
    assert (wd.parent / "stdout.txt").read_text() == "hello from a resource file\n"


def test_resource_file_that_cannot_be_fetched_fails_the_task(
    bench: Bench, file_server: str
) -> None:
    job_id = bench.job(bench.pool())
    files = [m.ResourceFile(http_url=f"{file_server}/files/missing", file_path="x")]
    bench.task(job_id, "rf", "/bin/true", resource_files=files)
    info = exec_info(bench.wait_task(job_id, "rf"))
    assert info.result == "failure"
    assert failure(info).code == "ResourceFileDownloadFailed"


def test_container_task_without_a_runtime_says_so_and_runs_on_the_host(bench: Bench) -> None:
    job_id = bench.job(bench.pool())
    container = m.BatchTaskContainerSettings(image_name="busybox")
    bench.task(job_id, "c", sh("echo $AZ_BATCH_TASK_ID"), container_settings=container)
    task = bench.wait_task(job_id, "c")
    assert exec_info(task).exit_code == 0
    assert "no container runtime" in str(present(exec_info(task).container_info).error)


def test_terminating_a_running_task_kills_its_process(bench: Bench) -> None:
    job_id = bench.job(bench.pool())
    bench.task(job_id, "k", sh("echo $$ > ../pid; exec /bin/sleep 3600"))
    task = bench.wait_task(job_id, "k", "running")
    pid_file = _task_dir(bench, task, job_id, "k")
    pid = int(wait(lambda: _read(pid_file / "pid"), "pid written"))
    bench.client.terminate_task(job_id, "k")
    info = exec_info(bench.wait_task(job_id, "k"))
    assert failure(info).code == "TaskEnded"
    wait(lambda: not alive(pid), "process killed")
    node = node_info(task)
    wait(
        lambda: bench.client.get_node(present(node.pool_id), present(node.node_id)).state == "idle",
        "idle",
    )


def test_reboot_requeues_a_running_task_which_runs_again(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id)
    script = "echo run >> $AZ_BATCH_NODE_SHARED_DIR/runs-$AZ_BATCH_JOB_ID; " + WAIT_FOR.format(
        "$AZ_BATCH_NODE_SHARED_DIR/go-$AZ_BATCH_JOB_ID"
    )
    bench.task(job_id, "t", sh(script))
    task = bench.wait_task(job_id, "t", "running")
    node_id = str(node_info(task).node_id)
    runs = bench.node_dir(pool_id, node_id) / "shared" / f"runs-{job_id}"
    wait(lambda: runs.exists(), "first run")
    bench.reboot(pool_id, node_id)
    wait(lambda: runs.read_text().count("run") == 2, "second run after the reboot")
    requeued = bench.client.get_task(job_id, "t")
    assert exec_info(requeued).requeue_count == 1
    (runs.parent / f"go-{job_id}").touch()
    assert exec_info(bench.wait_task(job_id, "t")).exit_code == 0


def test_reboot_with_terminate_ends_the_running_task(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id)
    bench.task(job_id, "t", "/bin/sleep 3600")
    node_id = str(node_info(bench.wait_task(job_id, "t", "running")).node_id)
    bench.reboot(pool_id, node_id, "terminate")
    info = exec_info(bench.wait_task(job_id, "t"))
    assert (info.result, failure(info).code) == ("failure", "TaskEnded")
    assert info.requeue_count == 0
    bench.wait_node(pool_id, node_id, "idle")


def test_reboot_with_task_completion_waits_for_the_running_task(bench: Bench) -> None:
    pool_id = bench.pool()
    gate = bench.node_root / f"gate-{bench.new_id('g')}"
    job_id = bench.job(pool_id)
    bench.task(job_id, "t", sh(WAIT_FOR.format(gate)))
    node_id = str(node_info(bench.wait_task(job_id, "t", "running")).node_id)
    bench.reboot(pool_id, node_id, "taskcompletion")
    bench.task(job_id, "later", "/bin/true")
    assert bench.client.get_node(pool_id, node_id).state == "rebooting"
    assert bench.client.get_task(job_id, "later").state == "active"
    gate.touch()
    assert exec_info(bench.wait_task(job_id, "t")).exit_code == 0
    later = bench.wait_task(job_id, "later")
    node = bench.client.get_node(pool_id, node_id)
    assert started(later) >= present(node.last_boot_time)


def test_resizing_away_a_busy_node_requeues_its_task(bench: Bench) -> None:
    pool_id = bench.pool(nodes=1, slots=1)
    job_id = bench.job(pool_id)
    script = f'[ -e "{bench.node_root}/resized-{job_id}" ] && exit 0; exec /bin/sleep 3600'
    bench.task(job_id, "t", sh(script))
    node_id = str(node_info(bench.wait_task(job_id, "t", "running")).node_id)
    bench.client.begin_resize_pool(pool_id, m.BatchPoolResizeOptions(target_dedicated_nodes=0))
    wait(lambda: bench.client.get_task(job_id, "t").state == "active", "task requeued")
    # The node's directory goes after the requeue (drop_removed_nodes), not with it.
    wait(lambda: not bench.node_dir(pool_id, node_id).exists(), "node directory removed")
    (bench.node_root / f"resized-{job_id}").touch()
    bench.client.begin_resize_pool(pool_id, m.BatchPoolResizeOptions(target_dedicated_nodes=1))
    task = bench.wait_task(job_id, "t")
    assert exec_info(task).exit_code == 0
    assert exec_info(task).requeue_count == 1
    assert node_info(task).node_id != node_id


def test_reimage_wipes_the_node_and_requeues_its_task(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id)
    bench.task(job_id, "first", sh("echo data > $AZ_BATCH_NODE_SHARED_DIR/kept"))
    node_id = str(node_info(bench.wait_task(job_id, "first")).node_id)
    shared = bench.node_dir(pool_id, node_id) / "shared"
    assert (shared / "kept").exists()
    bench.reimage(pool_id, node_id)
    bench.wait_node(pool_id, node_id, "idle")
    assert shared.is_dir() and not (shared / "kept").exists()


def _task_dir(bench: Bench, task: m.BatchTask, job_id: str, task_id: str) -> Path:
    """The task's directory on the node the task ran on."""
    node = node_info(task)
    return bench.task_dir(present(node.pool_id), str(node.node_id), job_id, task_id)


def _read(path: object) -> str | None:
    from pathlib import Path

    target = Path(str(path))
    text = target.read_text().strip() if target.exists() else ""
    return text or None
