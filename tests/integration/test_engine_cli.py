"""The engine's CLI options: ``--time-scale``, ``--engine instant``, the default node root."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from azure.batch import models as m

from batch_emulator.testing import start_emulator
from tests.support.engine import Bench, wait
from tests.support.sdk_fields import exec_info, failure, node_info, present


def test_time_scale_runs_emulated_limits_faster(tmp_path: Path) -> None:
    args = ("--node-root", str(tmp_path), "--time-scale", "600")
    with start_emulator(nodes=1, slots=1, extra_args=args) as emu:
        bench = Bench.of(emu)
        job_id = bench.job("default")
        limit = m.BatchTaskConstraints(max_wall_clock_time=timedelta(minutes=10))
        began = time.monotonic()
        bench.task(job_id, "t", "/bin/sleep 3600", constraints=limit)
        info = exec_info(bench.wait_task(job_id, "t"))
        assert failure(info).code == "MaxWallClockTimeExceeded"
        assert time.monotonic() - began < 10  # ten emulated minutes: about one real second
        assert present(info.end_time) - present(info.start_time) >= timedelta(minutes=10)


def test_instant_engine_completes_tasks_without_processes(tmp_path: Path) -> None:
    args = ("--engine", "instant", "--node-root", str(tmp_path))
    with start_emulator(nodes=1, slots=1, extra_args=args) as emu:
        bench = Bench.of(emu)
        job_id = bench.job("default")
        bench.task(job_id, "t", "/bin/sh -c 'exit 9'")
        task = bench.client.get_task(job_id, "t")
        assert (task.state, exec_info(task).exit_code) == ("completed", 0)
        assert not any(tmp_path.iterdir())


def test_default_node_root_is_under_the_data_dir(tmp_path: Path) -> None:
    with start_emulator(nodes=1, slots=1, data_dir=tmp_path) as emu:
        assert emu.node_root == str(tmp_path / "nodes")
        bench = Bench.of(emu)
        job_id = bench.job("default")
        bench.task(job_id, "t", "/bin/true")
        task = bench.wait_task(job_id, "t")
        out = bench.task_dir("default", str(node_info(task).node_id), job_id, "t") / "stdout.txt"
        wait(out.exists, "stdout.txt under DATA_DIR/nodes")
