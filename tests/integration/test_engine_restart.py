"""The engine across emulator restarts and shutdowns: nothing lost, interrupted work
follows Batch's node-reboot semantics, and no process outlives the emulator."""

from __future__ import annotations

import os
from pathlib import Path

from tests.integration._engine import WAIT_FOR, Bench, sh, wait
from tests.support.emulator import EmulatorHandle, start_emulator

SHARED = "$AZ_BATCH_NODE_SHARED_DIR"


def _start(data_dir: Path, node_root: Path) -> EmulatorHandle:
    from tests.support.emulator import start

    return start(data_dir=data_dir, nodes=1, slots=1, extra_args=("--node-root", str(node_root)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _pids(path: Path) -> list[int]:
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _only_node(bench: Bench) -> str:
    return str(bench.nodes("default")[0].id)


def test_restart_keeps_jobs_and_requeues_interrupted_tasks(tmp_path: Path) -> None:
    data, root = tmp_path / "data", tmp_path / "nodes"
    script = (
        f'echo $$ >> "{SHARED}/pids"; [ -e "{SHARED}/ran-once" ] && exit 0; '
        f'touch "{SHARED}/ran-once"; exec /bin/sleep 3600'
    )
    first = _start(data, root)
    try:
        bench = Bench.of(first)
        job_id = bench.job(
            "default",
            prep=sh(f'echo p >> "{SHARED}/preps"'),
            release=sh(f'echo r >> "{SHARED}/releases"'),
        )
        bench.task(job_id, "long", sh(script))
        bench.wait_task(job_id, "long", "running")
        shared = bench.node_dir("default", _only_node(bench)) / "shared"
        wait(lambda: _pids(shared / "pids"), "the task's pid")
    finally:
        assert first.stop() == 0
    [pid] = _pids(shared / "pids")
    assert not _alive(pid), "the task's process outlived the emulator"
    second = _start(data, root)
    try:
        bench = Bench.of(second)
        task = bench.wait_task(job_id, "long")
        assert task.execution_info.exit_code == 0
        assert task.execution_info.requeue_count == 1
        assert len(_pids(shared / "pids")) == 2
        assert (shared / "preps").read_text().split() == ["p", "p"]  # rerun after the "reboot"
        bench.terminate(job_id)
        bench.wait_job(job_id, "completed")
        assert (shared / "releases").read_text().split() == ["r"]
    finally:
        second.stop()


def release_running(handle: EmulatorHandle) -> tuple[str, str, Path]:
    """A terminated job whose Job Release task runs on the only node, writing its pid to
    ``shared/release-pids`` and waiting for ``shared/go``: job id, node id, shared dir."""
    release = sh(f'echo $$ >> "{SHARED}/release-pids"; ' + WAIT_FOR.format(f'"{SHARED}/go"'))
    bench = Bench.of(handle)
    job_id = bench.job("default", prep="/bin/true", release=release)
    bench.task(job_id, "t", "/bin/true")
    bench.wait_task(job_id, "t")
    node_id = _only_node(bench)
    shared = bench.node_dir("default", node_id) / "shared"
    bench.terminate(job_id)
    wait(lambda: _pids(shared / "release-pids"), "release started")
    return job_id, node_id, shared


def test_release_interrupted_by_a_restart_runs_again_and_the_job_then_completes(
    tmp_path: Path,
) -> None:
    data, root = tmp_path / "data", tmp_path / "nodes"
    first = _start(data, root)
    try:
        job_id, node_id, shared = release_running(first)
    finally:
        first.stop()
    [pid] = _pids(shared / "release-pids")
    assert not _alive(pid)
    second = _start(data, root)
    try:
        bench = Bench.of(second)
        assert bench.client.get_job(job_id).state == "terminating"
        wait(lambda: len(_pids(shared / "release-pids")) == 2, "release runs again")
        assert bench.client.get_job(job_id).state == "terminating"
        (shared / "go").touch()
        bench.wait_job(job_id, "completed")
        assert bench.release_state(job_id, node_id) == "completed"
    finally:
        second.stop()


def test_no_process_the_engine_started_survives_emulator_shutdown(tmp_path: Path) -> None:
    """Tasks, their own children, preparation and release tasks: all gone after stop."""
    spawn = f'/bin/sleep 3600 & echo $! >> "{SHARED}/pids"; echo $$ >> "{SHARED}/pids"; wait'
    with start_emulator(nodes=1, slots=2, extra_args=("--node-root", str(tmp_path))) as emu:
        bench = Bench.of(emu)
        job_id = bench.job("default", prep="/bin/true", release=sh(spawn))
        bench.task(job_id, "a", sh(spawn))
        bench.task(job_id, "b", sh(spawn))
        bench.wait_task(job_id, "b", "running")
        blocking = bench.job("default", prep=sh(spawn), release="/bin/true")
        bench.task(blocking, "c", "/bin/true")
        shared = bench.node_dir("default", _only_node(bench)) / "shared"
        wait(lambda: len(_pids(shared / "pids")) == 4, "two tasks and their children")
        bench.terminate(job_id)  # kills a and b, then starts the release task
        wait(lambda: len(_pids(shared / "pids")) == 8, "release and preparation running")
        pids = _pids(shared / "pids")
        assert all(_alive(pid) for pid in pids[4:])
    for pid in _pids(shared / "pids"):
        assert not _alive(pid), f"process {pid} survived the emulator"


def test_retention_survives_a_restart(tmp_path: Path) -> None:
    data, root = tmp_path / "data", tmp_path / "nodes"
    first = _start(data, root)
    try:
        bench = Bench.of(first)
        job_id = bench.job("default", prep="/bin/true", release="/bin/true")
        bench.task(job_id, "t", "/bin/true")
        bench.wait_task(job_id, "t")
        bench.terminate(job_id)
        bench.wait_job(job_id, "completed")
        job_dir = bench.node_dir("default", _only_node(bench)) / "workitems" / job_id / "job-1"
        kept = [job_dir / name for name in ("t", "jobpreparation", "jobrelease")]
        assert all(path.is_dir() for path in kept)
    finally:
        first.stop()
    second = _start(data, root)
    try:
        assert all(path.is_dir() for path in kept)
        second.advance_clock(7 * 24 * 3600 + 60)
        wait(lambda: not any(path.exists() for path in kept), "directories removed after 7 days")
    finally:
        second.stop()
