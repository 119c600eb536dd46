"""Emulator job schedules: how late a recurrence's job is created, and what active
schedules cost an idle emulator.

Targets (bench/README.md; ``bench/report.py`` judges them). Runs the real
``batch-emulator serve`` (its default process engine) over HTTP on 127.0.0.1, every
request SharedKey-signed (:meth:`EmulatorHandle.request`). Not a test: it reports.

Recurrence latency: schedules recurring every minute (the API's minimum) with jobs that
complete at once (no tasks, ``onAllTasksComplete: terminatejob``), so every recurrence
is due on time. The clock runs ``--time-scale 60`` times real time, so the engine's timer
really waits for each due time, as it does at any scale; jumping the clock
(``/_emulator/clock/advance``) would instead wake it at once, past the due time by
however far the jump went. Each schedule's ``doNotRunUntil`` anchors its due times
(spread over the interval, so no two schedules are due together); a job's due time is
its schedule's last due time at or before the job's ``creationTime``, and its latency
``creationTime - due`` in emulated time, divided by the time scale, in real time. Each
schedule's ``doNotRunAfter`` ends it after its last recurrence; the run waits for every
schedule to complete, polling their states twice a second.

Idle CPU: an emulator with N active schedules recurring daily (each has created its
first job; none is due while measuring) against one started alike with none, measured
in the same run in alternating windows (A B B A ...): the process's user + system CPU
seconds (/proc) over the window, divided by the window's wall time, is the fraction of
one core it used. No request reaches either emulator during a window.

    .venv/bin/python bench/emulator_schedules.py [--schedules 12] [--recurrences 20]

Results are written to ``bench/results/emulator_schedules.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulator_throughput import API_VERSION, cpu_seconds, percentile  # noqa: E402
from report import IDLE_SCHEDULES  # noqa: E402

from batch_emulator.clock import iso, parse_iso  # noqa: E402
from batch_emulator.testing import EmulatorHandle, start_emulator  # noqa: E402

#: Emulated seconds per real second while recurrences are measured.
TIME_SCALE = 60.0
#: The shortest ``recurrenceInterval`` Batch accepts.
INTERVAL = timedelta(minutes=1)
#: From the clock's reading to the first due time: room to create every schedule.
LEAD = timedelta(minutes=1)
#: Jobs that complete as soon as they are created.
JOB_SPEC = {"poolInfo": {"poolId": "default"}, "onAllTasksComplete": "terminatejob"}


def _q(path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}api-version={API_VERSION}"


def _list(emu: EmulatorHandle, path: str) -> list[dict[str, Any]]:
    """Every item of a list operation, following ``odata.nextLink``."""
    items: list[dict[str, Any]] = []
    next_path: str | None = _q(path)
    while next_path is not None:
        page = emu.request("GET", next_path)
        items.extend(page["value"])
        link = page.get("odata.nextLink")
        next_path = None if link is None else str(link).removeprefix(emu.endpoint)
    return items


def _wait(condition: Callable[[], bool], what: str, timeout: float, every: float = 0.5) -> None:
    """Poll ``condition`` until it holds; raise after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not within {timeout:g} s")
        time.sleep(every)


def _emulated_now(emu: EmulatorHandle) -> datetime:
    return parse_iso(str(emu.request("POST", "/_emulator/clock/advance?seconds=0")["now"]))


def _all_in_state(emu: EmulatorHandle, path: str, state: str, count: int) -> Callable[[], bool]:
    def check() -> bool:
        items = _list(emu, f"{path}?$select=id,state")
        return len(items) == count and all(i["state"] == state for i in items)

    return check


def bench_recurrences(emu: EmulatorHandle, schedules: int, recurrences: int) -> dict[str, Any]:
    """``schedules`` schedules of ``recurrences`` jobs each; latency of every job."""
    start = _emulated_now(emu) + LEAD
    anchors = {f"rec-{i:03d}": start + i * INTERVAL / schedules for i in range(schedules)}
    for schedule_id, anchor in anchors.items():
        timing = {
            "recurrenceInterval": "PT1M",
            "doNotRunUntil": iso(anchor),
            "doNotRunAfter": iso(anchor + (recurrences - 0.5) * INTERVAL),
        }
        body = {"id": schedule_id, "schedule": timing, "jobSpecification": JOB_SPEC}
        emu.request("POST", _q("/jobschedules"), body)
    span = (LEAD + recurrences * INTERVAL).total_seconds() / TIME_SCALE
    _wait(_all_in_state(emu, "/jobschedules", "completed", schedules), "schedules", span + 60)
    latencies = []
    for job in _list(emu, "/jobs?$select=id,creationTime"):
        anchor = anchors[str(job["id"]).split(":")[0]]
        created = parse_iso(str(job["creationTime"]))
        if created < anchor:
            raise RuntimeError(f"{job['id']} created before its schedule's first due time")
        due = anchor + ((created - anchor) // INTERVAL) * INTERVAL
        latencies.append((created - due).total_seconds() * 1000 / TIME_SCALE)
    return {
        "schedules": schedules,
        "recurrences": len(latencies),
        "lost": schedules * recurrences - len(latencies),
        "time_scale": TIME_SCALE,
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 2),
    }


def _core_fraction(emu: EmulatorHandle, seconds: float) -> float:
    """The share of one core the emulator used over ``seconds`` of wall time."""
    pid = emu.process.pid
    cpu, began = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)  # the window measured, not a wait for anything
    used, wall = cpu_seconds(pid), time.monotonic() - began
    if cpu is None or used is None:
        raise RuntimeError("no /proc: CPU time is measured on Linux only")
    return round((used - cpu) / wall, 4)


def bench_idle(schedules: int, window: float, rounds: int) -> dict[str, Any]:
    """Idle CPU with ``schedules`` daily schedules against none, ``rounds`` x A B."""
    with start_emulator(nodes=1) as baseline, start_emulator(nodes=1) as loaded:
        for i in range(schedules):
            body = {
                "id": f"idle-{i:03d}",
                "schedule": {"recurrenceInterval": "P1D"},
                "jobSpecification": JOB_SPEC,
            }
            loaded.request("POST", _q("/jobschedules"), body)
        _wait(_all_in_state(loaded, "/jobs", "completed", schedules), "first jobs", 60)
        _wait(_all_in_state(loaded, "/jobschedules", "active", schedules), "schedules", 60)
        samples: dict[str, list[float]] = {"baseline": [], "loaded": []}
        for r in range(rounds):
            order = ("baseline", "loaded") if r % 2 == 0 else ("loaded", "baseline")
            for name in order:
                samples[name].append(
                    _core_fraction(baseline if name == "baseline" else loaded, window)
                )
    return {"schedules": schedules, "window_seconds": window, **samples}


def measure(
    schedules: int, recurrences: int, idle_schedules: int, window: float, rounds: int
) -> dict[str, Any]:
    """Both benchmarks; recurrence latency in memory and on disk."""
    latency: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as data_dir:
        for store, store_dir in (("in_memory", None), ("on_disk", data_dir)):
            args = ["--time-scale", str(TIME_SCALE)]
            with start_emulator(nodes=1, data_dir=store_dir, extra_args=args) as emu:
                latency[store] = bench_recurrences(emu, schedules, recurrences)
    return {
        "recurrence_latency": latency,
        "idle_cpu": bench_idle(idle_schedules, window, rounds),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schedules", type=int, default=12)
    parser.add_argument("--recurrences", type=int, default=20, help="jobs per schedule")
    parser.add_argument("--idle-schedules", type=int, default=IDLE_SCHEDULES)
    parser.add_argument("--window", type=float, default=10.0, help="seconds per CPU window")
    parser.add_argument("--rounds", type=int, default=3, help="windows per emulator")
    args = parser.parse_args()
    result = measure(
        args.schedules, args.recurrences, args.idle_schedules, args.window, args.rounds
    )
    out = ROOT / "bench" / "results" / "emulator_schedules.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
