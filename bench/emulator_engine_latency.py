"""Emulator engine benchmark: task start latency after a slot frees, and throughput of
short tasks across a 4-node pool.

Targets (bench/README.md): task start latency p99 < 25 ms after a slot frees (2 cores).
Runs the real ``batch-emulator serve`` with the process engine (in memory and on disk)
and the real azure-batch SDK over HTTP on 127.0.0.1. Not a test: it reports.

Latency: a chain of short tasks on one node with one slot; each task writes the time its
process started and the time it finished (``date +%s%N``); the latency of task i is its
start minus the finish of task i-1, i.e. process exit -> completion recorded -> slot free
-> next task claimed -> directories -> process started -> ``sh`` running ``date``.

    .venv/bin/python bench/emulator_engine_latency.py [--chain 200] [--tasks 1000]

Results are written to ``bench/results/emulator_engine.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from azure.batch import BatchClient  # noqa: E402
from azure.batch import models as m  # noqa: E402
from azure.core.credentials import AzureNamedKeyCredential  # noqa: E402

from batch_emulator.testing import EmulatorHandle, start_emulator  # noqa: E402

START_P99_TARGET_MS = 25.0
STAMP = "/bin/sh -c 'date +%s%N > start; date +%s%N > end'"


def _client(emu: EmulatorHandle) -> BatchClient:
    return BatchClient(emu.endpoint, AzureNamedKeyCredential(emu.account, emu.key))


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _wait_completed(client: BatchClient, job_id: str, count: int, timeout: float) -> float:
    """Poll task counts until ``count`` tasks completed; the time it took."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        if client.get_job_task_counts(job_id).task_counts.completed >= count:
            return time.perf_counter() - began
        time.sleep(0.05)
    raise RuntimeError(f"{job_id}: {count} tasks did not complete in {timeout} s")


def _start_time(task: m.BatchTask) -> datetime:
    info = task.execution_info
    if info is None or info.start_time is None:
        raise RuntimeError(f"task {task.id} has no start time")
    return info.start_time


def bench_latency(emu: EmulatorHandle, node_root: Path, chain: int) -> dict[str, Any]:
    client = _client(emu)
    pool = m.BatchPoolCreateOptions(
        id="latency", vm_size="standard_d2s_v3", target_dedicated_nodes=1, task_slots_per_node=1
    )
    client.create_pool(pool)
    client.create_job(
        m.BatchJobCreateOptions(id="latency", pool_info=m.BatchPoolInfo(pool_id="latency"))
    )
    tasks = [m.BatchTaskCreateOptions(id=f"t{i:05d}", command_line=STAMP) for i in range(chain)]
    client.create_tasks("latency", tasks, max_concurrency=1)
    _wait_completed(client, "latency", chain, timeout=chain * 2.0)
    node_id = next(iter(client.list_nodes("latency"))).id
    work = node_root / "latency" / str(node_id) / "workitems" / "latency" / "job-1"
    stamps = []
    for task in sorted(client.list_tasks("latency"), key=_start_time):
        wd = work / str(task.id) / "wd"
        stamps.append((int((wd / "start").read_text()), int((wd / "end").read_text())))
    gaps = [(stamps[i][0] - stamps[i - 1][1]) / 1e6 for i in range(1, len(stamps))]
    return {
        "tasks": chain,
        "p50_ms": round(statistics.median(gaps), 2),
        "p99_ms": round(_percentile(gaps, 99), 2),
        "max_ms": round(max(gaps), 2),
        "target_p99_ms": START_P99_TARGET_MS,
        "meets_target": _percentile(gaps, 99) < START_P99_TARGET_MS,
    }


def bench_throughput(emu: EmulatorHandle, count: int, slots: int) -> dict[str, Any]:
    client = _client(emu)
    pool = m.BatchPoolCreateOptions(
        id="throughput",
        vm_size="standard_d2s_v3",
        target_dedicated_nodes=4,
        task_slots_per_node=slots,
    )
    client.create_pool(pool)
    client.create_job(
        m.BatchJobCreateOptions(id="throughput", pool_info=m.BatchPoolInfo(pool_id="throughput"))
    )
    tasks = [
        m.BatchTaskCreateOptions(id=f"t{i:05d}", command_line="/bin/true") for i in range(count)
    ]
    began = time.perf_counter()
    client.create_tasks("throughput", tasks, max_concurrency=2)
    elapsed = _wait_completed(client, "throughput", count, timeout=count * 1.0)
    total = time.perf_counter() - began
    counts = client.get_job_task_counts("throughput").task_counts
    return {
        "tasks": count,
        "nodes": 4,
        "slots_per_node": slots,
        "seconds": round(total, 2),
        "tasks_per_second": round(count / total, 1),
        "seconds_after_last_add": round(elapsed, 2),
        "succeeded": counts.succeeded,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chain", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--slots", type=int, default=2)
    args = parser.parse_args()
    report: dict[str, Any] = {}
    for store in ("memory", "disk"):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "nodes"
            kwargs: dict[str, Any] = {"pool_id": "", "node_root": root}
            if store == "disk":
                kwargs["data_dir"] = Path(tmp) / "data"
            with start_emulator(**kwargs) as emu:
                report[store] = {
                    "start_latency": bench_latency(emu, root, args.chain),
                    "throughput": bench_throughput(emu, args.tasks, args.slots),
                }
            print(store, json.dumps(report[store], indent=2), flush=True)
    out = ROOT / "bench" / "results" / "emulator_engine.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
