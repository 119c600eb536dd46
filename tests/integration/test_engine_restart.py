"""The engine across emulator restarts and shutdowns: nothing lost, interrupted work
follows Batch's node-reboot semantics, and no process outlives the emulator."""

from __future__ import annotations

from pathlib import Path

from batch_emulator.testing import start_emulator
from tests.support.engine import (
    SHARED,
    Bench,
    alive,
    only_node,
    pids_in,
    release_running,
    sh,
    start_on_disk,
    wait,
)
from tests.support.sdk_fields import exec_info


def test_restart_keeps_jobs_and_requeues_interrupted_tasks(tmp_path: Path) -> None:
    data, root = tmp_path / "data", tmp_path / "nodes"
    script = (
        f'echo $$ >> "{SHARED}/pids"; [ -e "{SHARED}/ran-once" ] && exit 0; '
        f'touch "{SHARED}/ran-once"; exec /bin/sleep 3600'
    )
    first = start_on_disk(data, root)
    try:
        bench = Bench.of(first)
        job_id = bench.job(
            "default",
            prep=sh(f'echo p >> "{SHARED}/preps"'),
            release=sh(f'echo r >> "{SHARED}/releases"'),
        )
        bench.task(job_id, "long", sh(script))
        bench.wait_task(job_id, "long", "running")
        shared = bench.node_dir("default", only_node(bench)) / "shared"
        wait(lambda: pids_in(shared / "pids"), "the task's pid")
    finally:
        assert first.stop() == 0
    [pid] = pids_in(shared / "pids")
    assert not alive(pid), "the task's process outlived the emulator"
    second = start_on_disk(data, root)
    try:
        bench = Bench.of(second)
        task = bench.wait_task(job_id, "long")
        assert exec_info(task).exit_code == 0
        assert exec_info(task).requeue_count == 1
        assert len(pids_in(shared / "pids")) == 2
        assert (shared / "preps").read_text().split() == ["p", "p"]  # rerun after the "reboot"
        bench.terminate(job_id)
        bench.wait_job(job_id, "completed")
        assert (shared / "releases").read_text().split() == ["r"]
    finally:
        second.stop()


def test_release_interrupted_by_a_restart_runs_again_and_the_job_then_completes(
    tmp_path: Path,
) -> None:
    data, root = tmp_path / "data", tmp_path / "nodes"
    first = start_on_disk(data, root)
    try:
        job_id, node_id, shared = release_running(first)
    finally:
        first.stop()
    [pid] = pids_in(shared / "release-pids")
    assert not alive(pid)
    second = start_on_disk(data, root)
    try:
        bench = Bench.of(second)
        assert bench.client.get_job(job_id).state == "terminating"
        wait(lambda: len(pids_in(shared / "release-pids")) == 2, "release runs again")
        assert bench.client.get_job(job_id).state == "terminating"
        (shared / "go").touch()
        bench.wait_job(job_id, "completed")
        assert bench.release_state(job_id, node_id) == "completed"
    finally:
        second.stop()


def test_no_process_the_engine_started_survives_emulator_shutdown(tmp_path: Path) -> None:
    """Tasks, their own children, preparation and release tasks: all gone after stop."""
    spawn = f'/bin/sleep 3600 & echo $! >> "{SHARED}/pids"; echo $$ >> "{SHARED}/pids"; wait'
    with start_emulator(nodes=1, slots=2, node_root=tmp_path) as emu:
        bench = Bench.of(emu)
        job_id = bench.job("default", prep="/bin/true", release=sh(spawn))
        bench.task(job_id, "a", sh(spawn))
        bench.task(job_id, "b", sh(spawn))
        bench.wait_task(job_id, "b", "running")
        blocking = bench.job("default", prep=sh(spawn), release="/bin/true")
        bench.task(blocking, "c", "/bin/true")
        shared = bench.node_dir("default", only_node(bench)) / "shared"
        wait(lambda: len(pids_in(shared / "pids")) == 4, "two tasks and their children")
        bench.terminate(job_id)  # kills a and b, then starts the release task
        wait(lambda: len(pids_in(shared / "pids")) == 8, "release and preparation running")
        pids = pids_in(shared / "pids")
        assert all(alive(pid) for pid in pids[4:])
    for pid in pids_in(shared / "pids"):
        assert not alive(pid), f"process {pid} survived the emulator"


def test_retention_survives_a_restart(tmp_path: Path) -> None:
    data, root = tmp_path / "data", tmp_path / "nodes"
    first = start_on_disk(data, root)
    try:
        bench = Bench.of(first)
        job_id = bench.job("default", prep="/bin/true", release="/bin/true")
        bench.task(job_id, "t", "/bin/true")
        bench.wait_task(job_id, "t")
        bench.terminate(job_id)
        bench.wait_job(job_id, "completed")
        job_dir = bench.node_dir("default", only_node(bench)) / "workitems" / job_id / "job-1"
        kept = [job_dir / name for name in ("t", "jobpreparation", "jobrelease")]
        assert all(path.is_dir() for path in kept)
    finally:
        first.stop()
    second = start_on_disk(data, root)
    try:
        assert all(path.is_dir() for path in kept)
        second.advance_clock(7 * 24 * 3600 + 60)
        wait(lambda: not any(path.exists() for path in kept), "directories removed after 7 days")
    finally:
        second.stop()
