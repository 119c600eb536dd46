"""Every sentence of the JobReleaseTask reference that describes the service, one test each.

Through the azure-batch SDK against an emulator whose engine really runs the tasks; the
assertions are on execution info and on files the tasks wrote on the emulated nodes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from azure.batch import models as m
from azure.core.exceptions import HttpResponseError

from batch_emulator.testing import EmulatorHandle
from tests.support.engine import WAIT_FOR, Bench, flag_file, sh, wait
from tests.support.sdk_fields import (
    exec_info,
    job_exec_info,
    node_info,
    present,
    release_info,
    rest_response,
)

PREP = sh('echo prepared > "$AZ_BATCH_NODE_SHARED_DIR/prep-$AZ_BATCH_JOB_ID"')
#: The release task leaves a mark in the node's shared directory (which outlives the job).
RELEASE = sh('echo "$AZ_BATCH_TASK_ID" >> "$AZ_BATCH_NODE_SHARED_DIR/released-$AZ_BATCH_JOB_ID"')


@pytest.fixture
def bench(engine_emulator: EmulatorHandle) -> Bench:
    return Bench.of(engine_emulator)


def released(bench: Bench, pool_id: str, node_id: str, job_id: str) -> list[str]:
    path = bench.node_dir(pool_id, node_id) / "shared" / f"released-{job_id}"
    return path.read_text().split() if path.exists() else []


def one_task_job(bench: Bench, **options: Any) -> tuple[str, str, str]:
    """A 1-node pool and a job with preparation and release whose one task completed."""
    pool_id = bench.pool()
    job_id = bench.job(pool_id, prep=PREP, release=RELEASE, **options)
    bench.task(job_id, "t1", "/bin/true")
    task = bench.wait_task(job_id, "t1")
    assert task.node_info is not None
    return pool_id, job_id, str(task.node_info.node_id)


# -- "A Job Release Task to run on Job completion on any Compute Node where the Job has run."


def test_release_runs_on_job_completion_on_a_node_where_the_job_ran(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    assert released(bench, pool_id, node_id, job_id) == []
    assert bench.statuses(job_id)[node_id].job_release_task_execution_info is None
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    assert released(bench, pool_id, node_id, job_id) == ["jobrelease"]


# -- "The Job Release Task runs when the Job ends, because of one of the following: ..."


def test_release_runs_when_the_user_calls_terminate_job(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    bench.terminate(job_id, reason="UserSaysDone")
    job = bench.wait_job(job_id, "completed")
    assert job.execution_info is not None
    assert job.execution_info.termination_reason == "UserSaysDone"
    info = bench.statuses(job_id)[node_id].job_release_task_execution_info
    assert info is not None and info.state == "completed" and info.exit_code == 0
    assert released(bench, pool_id, node_id, job_id) == ["jobrelease"]


def test_release_runs_when_the_user_deletes_the_job_while_it_is_active(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    bench.delete(job_id)
    bench.wait_gone(job_id)
    assert released(bench, pool_id, node_id, job_id) == ["jobrelease"]


def test_release_does_not_run_again_when_a_completed_job_is_deleted(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    bench.delete(job_id)
    bench.wait_gone(job_id)
    assert released(bench, pool_id, node_id, job_id) == ["jobrelease"]


def test_release_runs_when_the_job_max_wall_clock_time_is_reached(bench: Bench) -> None:
    constraints = m.BatchJobConstraints(max_wall_clock_time=timedelta(hours=1))
    pool_id, job_id, node_id = one_task_job(bench, constraints=constraints)
    assert bench.client.get_job(job_id).state == "active"
    bench.emulator.advance_clock(3600)
    job = bench.wait_job(job_id, "completed")
    assert job.execution_info is not None
    assert job.execution_info.termination_reason == "MaxWallClockTimeExpiry"
    assert released(bench, pool_id, node_id, job_id) == ["jobrelease"]


def test_release_runs_when_an_updated_max_wall_clock_time_is_reached(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    constraints = m.BatchJobConstraints(max_wall_clock_time=timedelta(hours=2))
    bench.client.update_job(job_id, m.BatchJobUpdateOptions(constraints=constraints))
    bench.emulator.advance_clock(2 * 3600)
    job = bench.wait_job(job_id, "completed")
    assert job_exec_info(job).termination_reason == "MaxWallClockTimeExpiry"
    assert released(bench, pool_id, node_id, job_id) == ["jobrelease"]


def test_release_runs_when_the_job_manager_completes_and_the_job_terminates_with_it(
    bench: Bench,
) -> None:
    pool_id = bench.pool()
    manager = m.BatchJobManagerTask(
        id="manager", command_line="/bin/true", kill_job_on_completion=True
    )
    job_id = bench.job(pool_id, prep=PREP, release=RELEASE, job_manager_task=manager)
    job = bench.wait_job(job_id, "completed")
    assert job.execution_info is not None
    assert job.execution_info.termination_reason == "JMComplete"
    node_id = str(node_info(bench.client.get_task(job_id, "manager")).node_id)
    assert released(bench, pool_id, node_id, job_id) == ["jobrelease"]


def test_release_runs_when_all_tasks_complete_and_the_job_terminates_then(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id, prep=PREP, release=RELEASE)
    bench.task(job_id, "t1", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    bench.client.update_job(job_id, m.BatchJobUpdateOptions(all_tasks_complete_mode="terminatejob"))
    job = bench.wait_job(job_id, "completed")
    assert job_exec_info(job).termination_reason == "AllTasksComplete"
    assert released(bench, pool_id, node_id, job_id) == ["jobrelease"]


# -- "The Job Release Task runs on each Node where Tasks of the Job have run and the Job
#     Preparation Task ran and completed."


def test_release_runs_on_each_node_where_tasks_ran_and_preparation_completed(bench: Bench) -> None:
    pool_id = bench.pool(nodes=3, slots=1)
    job_id = bench.job(pool_id, prep=PREP, release=RELEASE)
    gate = bench.node_root / f"gate-{job_id}"
    # Two tasks that run at the same time land on two different nodes; the third stays idle.
    for task_id in ("a", "b"):
        bench.task(job_id, task_id, sh(WAIT_FOR.format(gate)))
    wait(lambda: all(bench.client.get_task(job_id, t).state == "running" for t in "ab"), "both run")
    gate.touch()
    ran_on = {str(node_info(bench.wait_task(job_id, t)).node_id) for t in "ab"}
    assert len(ran_on) == 2
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    statuses = bench.statuses(job_id)
    assert set(statuses) == ran_on
    for node in bench.nodes(pool_id):
        expected = ["jobrelease"] if node.id in ran_on else []
        assert released(bench, pool_id, str(node.id), job_id) == expected
        if node.id in ran_on:
            info = statuses[str(node.id)].job_release_task_execution_info
            assert info is not None and info.state == "completed"


# -- "If you reimage a Node after it has run the Job Preparation Task, and the Job ends
#     without any further Tasks of the Job running on that Node ..., then the Job Release
#     Task does not run on that Compute Node."


def test_release_does_not_run_on_a_node_reimaged_after_preparation(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    bench.reimage(pool_id, node_id)
    bench.wait_node(pool_id, node_id, "idle")
    assert not (bench.node_dir(pool_id, node_id) / "shared" / f"prep-{job_id}").exists()
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    assert bench.statuses(job_id)[node_id].job_release_task_execution_info is None
    assert released(bench, pool_id, node_id, job_id) == []


def test_release_runs_on_a_reimaged_node_where_a_later_task_ran(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    bench.reimage(pool_id, node_id)
    bench.wait_node(pool_id, node_id, "idle")
    bench.task(job_id, "t2", "/bin/true")
    bench.wait_task(job_id, "t2")
    assert (bench.node_dir(pool_id, node_id) / "shared" / f"prep-{job_id}").exists()
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    assert released(bench, pool_id, node_id, job_id) == ["jobrelease"]


# -- "If a Node reboots while the Job Release Task is still running, the Job Release Task
#     runs again when the Compute Node starts up."


def test_release_runs_again_when_a_reboot_interrupted_it(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.new_id("job")
    shared = "$AZ_BATCH_NODE_SHARED_DIR"
    release = sh(
        f'echo started >> "{shared}/starts-$AZ_BATCH_JOB_ID"; '
        + WAIT_FOR.format(f'"{shared}/go-$AZ_BATCH_JOB_ID"')
        + f'; echo jobrelease >> "{shared}/released-$AZ_BATCH_JOB_ID"'
    )
    bench.client.create_job(
        m.BatchJobCreateOptions(
            id=job_id,
            pool_info=m.BatchPoolInfo(pool_id=pool_id),
            job_preparation_task=m.BatchJobPreparationTask(command_line=PREP),
            job_release_task=m.BatchJobReleaseTask(command_line=release),
        )
    )
    bench.task(job_id, "t1", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    shared_dir = bench.node_dir(pool_id, node_id) / "shared"
    starts = shared_dir / f"starts-{job_id}"
    bench.terminate(job_id)
    wait(lambda: starts.exists() and starts.read_text().split() == ["started"], "release starts")
    with flag_file(shared_dir, f"go-{job_id}"):
        bench.reboot(pool_id, node_id)
        wait(lambda: starts.read_text().split() == ["started", "started"], "release runs again")
        assert bench.client.get_job(job_id).state == "terminating"
    bench.wait_job(job_id, "completed")
    assert released(bench, pool_id, node_id, job_id) == ["jobrelease"]
    info = bench.statuses(job_id)[node_id].job_release_task_execution_info
    assert info is not None and info.state == "completed" and info.exit_code == 0


# -- "The Job is not marked as complete until all Job Release Tasks have completed."


def test_job_is_not_complete_until_all_release_tasks_have_completed(bench: Bench) -> None:
    pool_id = bench.pool()
    gate = bench.node_root / f"release-gate-{bench.new_id('g')}"
    job_id = bench.job(pool_id, prep=PREP, release=sh(WAIT_FOR.format(gate)))
    bench.task(job_id, "t1", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    with flag_file(gate.parent, gate.name):
        bench.terminate(job_id)
        bench.wait_release(job_id, node_id, "running")
        assert bench.client.get_job(job_id).state == "terminating"
    bench.wait_job(job_id, "completed")
    assert bench.release_state(job_id, node_id) == "completed"


def test_deleted_job_is_not_gone_until_its_release_tasks_have_completed(bench: Bench) -> None:
    pool_id = bench.pool()
    gate = bench.node_root / f"release-gate-{bench.new_id('g')}"
    job_id = bench.job(pool_id, prep=PREP, release=sh(WAIT_FOR.format(gate)))
    bench.task(job_id, "t1", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    with flag_file(gate.parent, gate.name):
        bench.delete(job_id)
        bench.wait_release(job_id, node_id, "running")
        assert bench.client.get_job(job_id).state == "deleting"
    bench.wait_gone(job_id)


# -- "The Job Release Task runs in the background. It does not occupy a scheduling slot."


def test_release_runs_in_the_background_without_occupying_a_slot(bench: Bench) -> None:
    pool_id = bench.pool(nodes=1, slots=1)
    gate = bench.node_root / f"release-gate-{bench.new_id('g')}"
    job_id = bench.job(pool_id, prep=PREP, release=sh(WAIT_FOR.format(gate)))
    bench.task(job_id, "t1", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    with flag_file(gate.parent, gate.name):
        bench.terminate(job_id)
        bench.wait_release(job_id, node_id, "running")
        other = bench.job(pool_id)
        bench.task(other, "o1", sh('echo ran > "$AZ_BATCH_NODE_SHARED_DIR/other-ran"'))
        task = bench.wait_task(other, "o1")
        assert exec_info(task).exit_code == 0
        assert bench.release_state(job_id, node_id) == "running"
        node = bench.client.get_node(pool_id, node_id)
        assert node.running_task_slots_count == 0
    assert (bench.node_dir(pool_id, node_id) / "shared" / "other-ran").exists()
    bench.wait_job(job_id, "completed")


# -- id: "If you do not specify this property, the Batch service assigns a default value
#     of 'jobrelease'."


def test_release_default_id_is_jobrelease(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    assert present(bench.client.get_job(job_id).job_release_task).id == "jobrelease"
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    info = release_info(bench.statuses(job_id)[node_id])
    assert info.task_root_directory == f"workitems/{job_id}/job-1/jobrelease"
    assert present(info.task_root_directory_url).endswith(
        f"/pools/{pool_id}/nodes/{node_id}/files/workitems/{job_id}/job-1/jobrelease"
    )
    assert bench.task_dir(pool_id, node_id, job_id, "jobrelease").is_dir()


# -- "No other Task in the Job can have the same ID as the Job Release Task ...
#     TaskIdSameAsJobReleaseTask ... 409 (Conflict)."


def test_task_with_the_release_task_id_is_rejected_with_409(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id, prep=PREP, release=RELEASE, release_options={"id": "Cleanup"})
    with pytest.raises(HttpResponseError) as failure:
        bench.task(job_id, "cleanup", "/bin/true")
    assert failure.value.status_code == 409
    assert rest_response(failure.value).json()["code"] == "TaskIdSameAsJobReleaseTask"
    default_id = bench.job(pool_id, prep=PREP, release=RELEASE)
    with pytest.raises(HttpResponseError) as default_failure:
        bench.task(default_id, "jobrelease", "/bin/true")
    assert rest_response(default_failure.value).json()["code"] == "TaskIdSameAsJobReleaseTask"


# -- command_line: "The command line does not run under a shell ... invoke the shell in the
#     command line ... use a relative path (relative to the Task working directory), or use
#     the Batch provided environment variable."


def test_release_command_line_runs_without_a_shell_unless_it_invokes_one(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id, prep=PREP, release="/bin/echo $AZ_BATCH_TASK_ID 'two words' |")
    bench.task(job_id, "t1", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    out = bench.task_dir(pool_id, node_id, job_id, "jobrelease") / "stdout.txt"
    assert out.read_text() == "$AZ_BATCH_TASK_ID two words |\n"
    shell_job = bench.job(pool_id, prep=PREP, release=sh('echo "$AZ_BATCH_TASK_ID" | tr a-z A-Z'))
    bench.task(shell_job, "t1", "/bin/true")
    bench.wait_task(shell_job, "t1")
    bench.terminate(shell_job)
    bench.wait_job(shell_job, "completed")
    out = bench.task_dir(pool_id, node_id, shell_job, "jobrelease") / "stdout.txt"
    assert out.read_text() == "JOBRELEASE\n"


def test_release_relative_paths_resolve_in_its_working_directory(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id, prep=PREP, release="/bin/cp ../stdout.txt copied-stdout.txt")
    bench.task(job_id, "t1", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    assert (
        bench.task_dir(pool_id, node_id, job_id, "jobrelease") / "wd" / "copied-stdout.txt"
    ).exists()


# -- container_settings: node root mapped into the container, task environment passed,
#    command line run in the container. No runtime here: said so, run on the host.


def test_release_container_settings_without_a_runtime_run_on_the_host_with_the_same_layout(
    bench: Bench,
) -> None:
    pool_id = bench.pool()
    container = m.BatchTaskContainerSettings(image_name="ubuntu:22.04")
    script = 'echo "$AZ_BATCH_NODE_ROOT_DIR|$AZ_BATCH_TASK_WORKING_DIR|$MY_SETTING" > env.txt'
    job_id = bench.job(
        pool_id,
        prep=PREP,
        release=sh(script),
        release_options={
            "container_settings": container,
            "environment_settings": [m.EnvironmentSetting(name="MY_SETTING", value="mapped")],
        },
    )
    bench.task(job_id, "t1", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    info = release_info(bench.statuses(job_id)[node_id])
    assert info.container_info is not None
    assert "no container runtime" in str(info.container_info.error)
    assert "ran on the host" in str(info.container_info.error)
    task_dir = bench.task_dir(pool_id, node_id, job_id, "jobrelease")
    root, wd, setting = (task_dir / "wd" / "env.txt").read_text().strip().split("|")
    assert root == str(bench.node_dir(pool_id, node_id))
    assert wd == str(task_dir / "wd")
    assert setting == "mapped"


# -- resource_files: "Files listed under this element are located in the Task's working
#    directory."


def test_release_resource_files_are_located_in_its_working_directory(
    bench: Bench, file_server: str
) -> None:
    pool_id = bench.pool()
    files = [
        m.ResourceFile(
            http_url=f"{file_server}/files/hello.sh", file_path="bin/hello.sh", file_mode="755"
        )
    ]
    job_id = bench.job(
        pool_id, prep=PREP, release="bin/hello.sh", release_options={"resource_files": files}
    )
    bench.task(job_id, "t1", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    task_dir = bench.task_dir(pool_id, node_id, job_id, "jobrelease")
    assert (task_dir / "wd" / "bin" / "hello.sh").stat().st_mode & 0o777 == 0o755
    assert (task_dir / "stdout.txt").read_text() == "hello from a resource file\n"


# -- max_wall_clock_time: at most 15 minutes (the default); the task is killed at the limit.


def test_release_max_wall_clock_time_defaults_to_15_minutes_and_kills_it(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id, prep=PREP, release="/bin/sleep 3600")
    assert present(bench.client.get_job(job_id).job_release_task).max_wall_clock_time == timedelta(
        minutes=15
    )
    bench.task(job_id, "t1", "/bin/true")
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    bench.terminate(job_id)
    bench.wait_release(job_id, node_id, "running")
    bench.emulator.advance_clock(14 * 60)
    assert bench.release_state(job_id, node_id) == "running"
    bench.emulator.advance_clock(61)
    bench.wait_job(job_id, "completed")
    info = release_info(bench.statuses(job_id)[node_id])
    assert info.state == "completed" and info.result == "failure"
    assert present(info.failure_info).code == "MaxWallClockTimeExceeded"


def test_release_max_wall_clock_time_over_15_minutes_is_rejected(bench: Bench) -> None:
    with pytest.raises(HttpResponseError) as failure:
        bench.job(
            bench.pool(),
            prep=PREP,
            release=RELEASE,
            release_options={"max_wall_clock_time": timedelta(minutes=15, seconds=1)},
        )
    assert failure.value.status_code == 400


# -- retention_time: "The default is 7 days, i.e. the Task directory will be retained for
#    7 days unless the Compute Node is removed or the Job is deleted."


def test_release_directory_is_retained_for_7_days_by_default(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    release_dir = bench.task_dir(pool_id, node_id, job_id, "jobrelease")
    assert release_dir.is_dir()
    bench.emulator.advance_clock(timedelta(days=7).total_seconds() - 120)
    assert release_dir.is_dir()
    bench.emulator.advance_clock(240)
    wait(lambda: not release_dir.exists(), "release directory removed after 7 days")


def test_release_directory_is_removed_when_the_job_is_deleted(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    release_dir = bench.task_dir(pool_id, node_id, job_id, "jobrelease")
    assert release_dir.is_dir()
    bench.delete(job_id)
    bench.wait_gone(job_id)
    assert not release_dir.exists()


def test_release_directory_is_removed_with_its_node(bench: Bench) -> None:
    pool_id, job_id, node_id = one_task_job(bench)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    assert bench.task_dir(pool_id, node_id, job_id, "jobrelease").is_dir()
    bench.client.begin_delete_pool(pool_id)
    wait(lambda: not bench.node_dir(pool_id, node_id).exists(), "node directory removed")


# -- user_identity: "If omitted, the Task runs as a non-administrative user unique to the
#    Task."


def test_release_runs_as_a_non_admin_user_unique_to_the_task(bench: Bench) -> None:
    pool_id = bench.pool()
    record = 'echo "$AZ_BATCH_TASK_USER $AZ_BATCH_TASK_USER_IDENTITY" > "$AZ_BATCH_TASK_DIR/user"'
    job_id = bench.job(pool_id, prep=sh(record), release=sh(record))
    bench.task(job_id, "t1", sh(record))
    node_id = str(node_info(bench.wait_task(job_id, "t1")).node_id)
    bench.terminate(job_id)
    bench.wait_job(job_id, "completed")
    users = {
        task_id: (bench.task_dir(pool_id, node_id, job_id, task_id) / "user").read_text().split()
        for task_id in ("jobpreparation", "t1", "jobrelease")
    }
    assert users["jobrelease"][1] == "TaskNonAdmin"
    assert len({name for name, _ in users.values()}) == 3
