"""Emulator benchmark: job GET throughput and latency, and 10,000 tasks via create_tasks.

Targets (DESIGN §7): 500 job GETs/s with p99 < 20 ms; 10,000 tasks through
``create_tasks`` in at most 5 s. Runs the real ``batch-emulator serve`` (in memory and on
disk) and the real azure-batch SDK over HTTP on 127.0.0.1. Not a test: it reports.

    .venv/bin/python bench/emulator_throughput.py [--gets 2000] [--tasks 10000]

Results are written to ``bench/results/emulator_throughput.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from azure.batch import BatchClient  # noqa: E402
from azure.batch import models as m  # noqa: E402
from azure.core.credentials import AzureNamedKeyCredential  # noqa: E402

from tests.support.emulator import EmulatorHandle, start_emulator  # noqa: E402

GET_TARGET_PER_SECOND = 500
GET_P99_TARGET_MS = 20.0
TASKS_TARGET_SECONDS = 5.0


def _client(emu: EmulatorHandle) -> BatchClient:
    return BatchClient(emu.endpoint, AzureNamedKeyCredential(emu.account, emu.key))


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _get_worker(
    endpoint: str, account: str, key: str, count: int, ready: Any, go: Any, out: Any
) -> None:
    """One client process: ``count`` sequential GETs once told to go; reports its
    latencies (ms) and its start and end times."""
    client = BatchClient(endpoint, AzureNamedKeyCredential(account, key))
    client.get_job("bench-get")  # warm the connection and the imports
    ready.release()
    go.wait()
    mine = []
    began = time.time()
    for _ in range(count):
        start = time.perf_counter()
        client.get_job("bench-get")
        mine.append((time.perf_counter() - start) * 1000)
    out.put((began, time.time(), mine))


def bench_gets(emu: EmulatorHandle, count: int, processes: int) -> dict[str, Any]:
    """``count`` GETs of one job from ``processes`` client processes (so the client's
    GIL is not the bottleneck); latency is what the SDK observes end to end."""
    setup = _client(emu)
    setup.create_job(
        m.BatchJobCreateOptions(id="bench-get", pool_info=m.BatchPoolInfo(pool_id="default"))
    )
    ctx = multiprocessing.get_context("spawn")
    results: Any = ctx.Queue()
    ready, go = ctx.Semaphore(0), ctx.Event()
    per_process = count // processes
    args = (emu.endpoint, emu.account, emu.key, per_process, ready, go, results)
    workers = [ctx.Process(target=_get_worker, args=args) for _ in range(processes)]
    for w in workers:
        w.start()
    for _ in workers:
        ready.acquire(timeout=120)
    emu.reset_stats()
    go.set()
    latencies: list[float] = []
    starts, ends = [], []
    for _ in workers:
        began, ended, mine = results.get(timeout=300)
        starts.append(began)
        ends.append(ended)
        latencies.extend(mine)
    elapsed = max(ends) - min(starts)
    for w in workers:
        w.join()
    gets = sum(r["count"] for r in emu.stats()["operations"] if r["operation"] == "Jobs_GetJob")
    return {
        "requests": len(latencies),
        "server_counted": gets,
        "client_processes": processes,
        "seconds": round(elapsed, 3),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(_percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 2),
    }


def bench_tasks(emu: EmulatorHandle, count: int, concurrency: int) -> dict[str, Any]:
    client = _client(emu)
    client.create_job(
        m.BatchJobCreateOptions(id="bench-tasks", pool_info=m.BatchPoolInfo(pool_id="default"))
    )
    tasks = [
        m.BatchTaskCreateOptions(id=f"task-{i}", command_line="/bin/true") for i in range(count)
    ]
    emu.reset_stats()
    began = time.perf_counter()
    result = client.create_tasks("bench-tasks", tasks, max_concurrency=concurrency)
    elapsed = time.perf_counter() - began
    stats = emu.stats()
    counts = client.get_job_task_counts("bench-tasks").task_counts
    return {
        "tasks": count,
        "max_concurrency": concurrency,
        "seconds": round(elapsed, 3),
        "tasks_per_second": round(count / elapsed, 1),
        "added": len(result.result_values),
        "requests": stats["writes"],
        "completed": counts.completed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gets", type=int, default=2000)
    parser.add_argument("--get-processes", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--task-concurrency", type=int, default=4)
    parser.add_argument(
        "--engine",
        default="instant",
        choices=["instant", "process"],
        help="instant measures the REST service alone; process also runs every task",
    )
    args = parser.parse_args()
    report: dict[str, Any] = {
        "engine": args.engine,
        "targets": {
            "job_get_per_second": GET_TARGET_PER_SECOND,
            "job_get_p99_ms": GET_P99_TARGET_MS,
            "tasks_seconds": TASKS_TARGET_SECONDS,
        },
    }
    with tempfile.TemporaryDirectory() as data_dir:
        for mode, kwargs in (("in_memory", {}), ("on_disk", {"data_dir": data_dir})):
            engine = ("--engine", args.engine)
            with start_emulator(nodes=4, slots=4, extra_args=engine, **kwargs) as emu:
                gets = bench_gets(emu, args.gets, args.get_processes)
                tasks = bench_tasks(emu, args.tasks, args.task_concurrency)
            report[mode] = {
                "job_get": {
                    **gets,
                    "meets_target": gets["per_second"] >= GET_TARGET_PER_SECOND
                    and gets["p99_ms"] < GET_P99_TARGET_MS,
                },
                "create_tasks": {**tasks, "meets_target": tasks["seconds"] <= TASKS_TARGET_SECONDS},
            }
    out = ROOT / "bench" / "results" / "emulator_throughput.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
