"""Run every benchmark and write the report: ``bench/results/`` (raw) and, with
``--publish``, ``bench/REPORT.md`` + ``bench/report.json`` (the committed copy).

    .venv/bin/python bench/run.py [--quick] [--publish]

Needs the provisioned Pulumi CLI (``tools/pulumi_env.py`` finds it) and runs the real
``batch-emulator`` on 127.0.0.1 only. ``--quick`` takes a few minutes; the full run is
bounded (about 20 minutes on 2 cores). Not a test: nothing here asserts a target, the
report says which are met.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))


def _use_this_checkout() -> None:
    """Measure the component and emulator of the checkout this file is in, whatever the
    venv's editable installs point at: every process started from here inherits it. Their
    bytecode is written first, as pip writes it for an installed wheel (and the stacks'
    shared modules'), so no process compiles them from source where PYTHONDONTWRITEBYTECODE
    is set."""
    paths = [str(BENCH.parent / "components"), str(BENCH.parent / "emulator")]
    for path in (*paths, str(BENCH / "stacklib")):
        compileall.compile_dir(path, quiet=1)
    rest = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([*paths, rest] if rest else paths)
    sys.path[:0] = paths


_use_this_checkout()

import component_bench as cb  # noqa: E402
import emulator_schedules  # noqa: E402
import emulator_throughput  # noqa: E402
import provider_costs  # noqa: E402
import report  # noqa: E402

from batch_emulator.testing import EmulatorHandle, start_emulator  # noqa: E402

RESULTS = BENCH / "results"
RELEASE_SECONDS = 2.0
TASKS_PER_JOB = 10


def _plan(quick: bool) -> dict[str, Any]:
    if quick:
        return {
            "counts": [1, 10],
            "repeats": 3,
            "destroy": [(1, None), (4, None), (4, 4)],
            "destroy_repeats": 1,
            "request_tasks": [10, 250],
            "gets": 1000,
            "chain": 100,
            "engine_tasks": 300,
            "schedules": 10,
            "recurrences": 10,
            "idle_window": 5.0,
            "idle_rounds": 2,
        }
    return {
        "counts": [1, 10, 100],
        "repeats": 5,
        "destroy": [(1, None), (8, None), (40, None), (40, 40)],
        "destroy_repeats": 2,
        "request_tasks": [0, 10, 100, 250],
        "gets": 2000,
        "chain": 200,
        "engine_tasks": 1000,
        "schedules": 12,
        "recurrences": 20,
        "idle_window": 10.0,
        "idle_rounds": 3,
    }


def peak_rss_mb(emu: EmulatorHandle) -> float:
    """The emulator process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{emu.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def emulator_throughput_runs(gets: int) -> dict[str, Any]:
    """``bench/emulator_throughput.py``'s GET and create_tasks benchmarks on our own
    emulators, so the emulator's peak memory can be read before it stops."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as data_dir:
        for store, store_dir in (("in_memory", None), ("on_disk", data_dir)):
            cb.log(f"emulator throughput ({store})")
            with start_emulator(nodes=4, slots=4, engine="instant", data_dir=store_dir) as emu:
                job_get = emulator_throughput.bench_gets(emu, gets, 2)
                lean = emulator_throughput.bench_gets(
                    emu, gets, 2, emulator_throughput.lean_get_worker
                )
                create = emulator_throughput.bench_tasks(emu, 10_000, 4)
                results[store] = {
                    "job_get": job_get,
                    "job_get_lean_client": lean,
                    "create_tasks": create,
                    "peak_rss_mb": peak_rss_mb(emu),
                }
    return results


def emulator_engine_runs(chain: int, tasks: int) -> dict[str, Any]:
    """``bench/emulator_engine_latency.py`` as its authors run it; its JSON result."""
    cb.log("emulator engine latency")
    script = BENCH / "emulator_engine_latency.py"
    subprocess.run(
        [sys.executable, str(script), "--chain", str(chain), "--tasks", str(tasks)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    data: dict[str, Any] = json.loads((RESULTS / "emulator_engine.json").read_text())
    return data


def _pulumi_version() -> str:
    sys.path.insert(0, str(cb.ROOT / "tools"))
    from pulumi_env import pulumi_bin_dir

    out = subprocess.run(
        [str(pulumi_bin_dir() / "pulumi"), "version"], capture_output=True, text=True, check=False
    )
    return out.stdout.strip()


def _commit() -> str:
    """The commit measured: ``BENCH_COMMIT`` (for an exported tree), else git's HEAD."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    out = subprocess.run(
        ["git", "-C", str(BENCH), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "unknown"


def _notes(rep: dict[str, Any]) -> list[str]:
    """What the figures mean, computed from them (no figure is written by hand)."""
    notes = []
    for d in sorted(rep["destroy_release"].values(), key=lambda d: (d["jobs"], d["parallel"])):
        notes.append(
            f"destroy of {d['jobs']} jobs at --parallel {d['parallel']}: "
            f"{d['over_noop_median']} s beyond the engine's own destroy of as many no-op "
            f"resources, for {d['release_seconds']:g} s release tasks; the engine's "
            f"parallelism makes the floor {d['floor_seconds']:g} s"
        )
    big = max(rep["stacks"], key=int)
    row = rep["stacks"][big]
    for verb, limit in report.RATIO_TARGETS.items():
        extra = row[verb]["jobs"]["median"] - row[verb]["noop"]["median"]
        budget = row[verb]["noop"]["median"] * (limit - 1)
        notes.append(
            f"{verb} of {big} jobs: {extra:.1f} s over the engine's floor (budget at "
            f"{limit:.2f}x: {budget:.1f} s){_cpu_reason(rep, verb)}"
        )
    per_job = row["requests_per_job"]
    notes.append(
        f"the plain SDK script needed {row['api_creates']['median']} s for the requests of "
        f"{big} jobs ({row['api_requests_per_job']['writes']:g} requests per job; BatchJob "
        f"sends {per_job['writes'] + per_job['reads']:g})"
    )
    st = rep["state"]
    engine_bytes = st["resource_entry_bytes"] - st["inputs_plus_outputs_bytes"]
    notes.append(
        f"state: {engine_bytes:g} B of each job's resource entry are the engine's own fields "
        "(URNs, the program's stack trace, property dependencies, timestamps), the same for "
        "a no-op resource; the provider's inputs + outputs are "
        f"{st['inputs_plus_outputs_bytes']:g} B for {st['rest_json_bytes']:g} B of REST JSON"
    )
    return notes


def _cpu_reason(rep: dict[str, Any], verb: str) -> str:
    """Where ``verb`` of the largest stack spends CPU beyond the floor's, by process."""
    big = max(rep["stacks"], key=int)
    row = rep["stacks"][big]
    cpu = (row.get("cpu_seconds") or {}).get(verb) or {}
    if "pulumi" not in cpu or "emulator" not in cpu:
        return ""
    wall = row[verb]["jobs"]["median"]
    used = cpu["pulumi"]["jobs"] + cpu["emulator"]["jobs"]
    extra_cpu = cpu["pulumi"]["extra"] + cpu["emulator"]["extra"]
    parts = ", ".join(f"{name} {c['extra']:+g} s" for name, c in cpu.items() if name != "pulumi")
    return (
        f"; {used:.1f} CPU-s in {wall:.1f} s of wall time on {rep['meta']['cpus']} CPUs, "
        f"{extra_cpu:+.1f} CPU-s against the floor ({parts})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a few minutes")
    parser.add_argument(
        "--publish", action="store_true", help="also write bench/REPORT.md and bench/report.json"
    )
    parser.add_argument("--skip-emulator", action="store_true", help="component figures only")
    parser.add_argument(
        "--from-raw", type=Path, help="only re-render the report from a raw.json of a run"
    )
    args = parser.parse_args()
    if args.from_raw:
        return _write_report(json.loads(args.from_raw.read_text()), args.publish)
    plan = _plan(args.quick)
    RESULTS.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    raw: dict[str, Any] = {
        "meta": {
            "command": "python bench/run.py" + (" --quick" if args.quick else ""),
            "mode": "quick" if args.quick else "full",
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "cpus": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "pulumi": _pulumi_version(),
            "commit": _commit(),
            "repeats": plan["repeats"],
            "tasks": TASKS_PER_JOB,
            "api_parallelism": cb.API_PARALLELISM,
            "default_parallel": cb.DEFAULT_PARALLEL,
            "release_seconds": RELEASE_SECONDS,
            "plan": plan,
        }
    }
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        with start_emulator(nodes=2, slots=2, engine="instant") as emu:
            raw["requests_per_job"] = cb.requests_per_job(emu, work, plan["request_tasks"])
            raw["state_size"] = cb.state_size(emu, work, 3, TASKS_PER_JOB)
            raw["provider_costs"] = provider_costs.measure(emu, TASKS_PER_JOB, 3)
            raw["engine_vs_floor"] = cb.engine_vs_floor(
                emu, work, plan["counts"], TASKS_PER_JOB, plan["repeats"]
            )
            raw["api_floor"] = cb.api_floor(emu, plan["counts"], TASKS_PER_JOB, plan["repeats"])
            raw["component_emulator_peak_rss_mb"] = peak_rss_mb(emu)
        with start_emulator(nodes=2, slots=2) as emu:  # process engine: tasks really run
            raw["destroy_release"] = cb.destroy_with_release(
                emu,
                work,
                plan["destroy"],
                TASKS_PER_JOB,
                RELEASE_SECONDS,
                plan["destroy_repeats"],
            )
        raw["emulator"] = {}
        if not args.skip_emulator:
            raw["emulator"]["throughput"] = emulator_throughput_runs(plan["gets"])
            raw["emulator"]["engine"] = emulator_engine_runs(plan["chain"], plan["engine_tasks"])
            cb.log("emulator schedules")
            raw["emulator"]["schedules"] = emulator_schedules.measure(
                plan["schedules"],
                plan["recurrences"],
                report.IDLE_SCHEDULES,
                plan["idle_window"],
                plan["idle_rounds"],
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    raw["meta"]["seconds"] = round(time.monotonic() - began)
    raw["meta"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    (RESULTS / "raw.json").write_text(json.dumps(raw, indent=2) + "\n")
    return _write_report(raw, args.publish)


def _write_report(raw: dict[str, Any], publish: bool) -> int:
    """report.json + REPORT.md in bench/results/ (and the committed copy if ``publish``)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    rep = report.summarize(raw)
    rep["notes"] = _notes(rep)
    text = report.markdown(rep)
    (RESULTS / "report.json").write_text(json.dumps(rep, indent=2) + "\n")
    (RESULTS / "REPORT.md").write_text(text)
    if publish:
        (BENCH / "report.json").write_text(json.dumps(rep, indent=2) + "\n")
        (BENCH / "REPORT.md").write_text(text)
    print(text)
    cb.log(f"done ({raw['meta']['seconds']} s of measuring); raw data in bench/results/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
