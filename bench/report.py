"""Turn the raw benchmark results into ``report.json`` and a markdown report.

Every timed figure is min / median / max over its repeats; a ratio is the median of the
measured stack over the median of its baseline measured in the same run (and, less
sensitive to a noisy shared machine, min over min). The targets are bench/README.md's.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

#: Reads ``up`` of one job may send: the job read back and its task counts.
MAX_READS = 2
#: Against the no-op native stack: the most ``preview`` and ``up`` of N jobs may cost.
RATIO_TARGETS = {"preview": 1.10, "up": 1.15}
STATE_RATIO_TARGET = 1.5
#: Beyond the engine's own destroy, destroy of N jobs with R-second release tasks at
#: parallelism P may take ceil(N / P) x R plus this many seconds.
DESTROY_SLACK_SECONDS = 2.0
#: The most a recurrence's job may be created after its due time (p99, real ms).
RECURRENCE_P99_TARGET_MS = 50.0
#: Active schedules an idle emulator carries, and the share of one core it may then use.
IDLE_SCHEDULES = 100
IDLE_CPU_TARGET = 0.02
#: The stacks of a benchmark run and what the report calls them.
BASELINES = {
    "noop": "no-op native",
    "noop_sized": "no-op native, a job's state",
    "noop_dynamic": "no-op dynamic",
}


def spread(samples: list[float], digits: int = 2) -> dict[str, Any]:
    """min / median / max of the samples (and how many)."""
    return {
        "min": round(min(samples), digits),
        "median": round(statistics.median(samples), digits),
        "max": round(max(samples), digits),
        "n": len(samples),
    }


def _mmm(s: dict[str, Any], unit: str = "s") -> str:
    return f"{s['min']} / {s['median']} / {s['max']} {unit}"


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value} s"


def _ratio(measured: list[float], baseline: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(measured) / statistics.median(baseline), 2),
        "min": round(min(measured) / min(baseline), 2),
    }


def summarize(raw: dict[str, Any]) -> dict[str, Any]:
    """The machine-readable report: spreads, ratios and a verdict per target."""
    out: dict[str, Any] = {"meta": raw["meta"], "stacks": {}, "targets": []}
    floor, api = raw["engine_vs_floor"], raw["api_floor"]
    for n, entry in floor.items():
        secs = entry["seconds"]
        row: dict[str, Any] = {}
        for verb in ("preview", "up", "destroy"):
            row[verb] = {"jobs": spread(secs[f"jobs_{verb}"])}
            for base in BASELINES:
                row[verb][base] = spread(secs[f"{base}_{verb}"])
                row[verb][f"ratio_vs_{base}"] = _ratio(secs[f"jobs_{verb}"], secs[f"{base}_{verb}"])
        api_secs = api[n]["seconds"]
        row["api_script"] = spread(api_secs["script"])
        row["api_creates"] = spread(api_secs["creates"], 3)
        row["up_ratio_vs_api_script"] = _ratio(secs["jobs_up"], api_secs["script"])
        row["requests_per_job"] = {
            "writes": entry["requests"][0]["writes"] / int(n),
            "reads": entry["requests"][0]["reads"] / int(n),
        }
        row["api_requests_per_job"] = {
            "writes": api[n]["requests"][0]["writes"] / int(n),
            "reads": api[n]["requests"][0]["reads"] / int(n),
        }
        row["cpu_seconds"] = {
            verb: _cpu_summary(entry.get("cpu_seconds") or {}, verb) for verb in ("preview", "up")
        }
        out["stacks"][n] = row
    out["requests"] = raw["requests_per_job"]
    out["state"] = _state_summary(raw["state_size"])
    out["destroy_release"] = {
        key: _destroy_summary(v, raw["meta"]) for key, v in raw["destroy_release"].items()
    }
    out["provider_costs"] = {k: spread(v, 3) for k, v in raw["provider_costs"].items()}
    out["emulator"] = raw["emulator"]
    idle = (raw["emulator"].get("schedules") or {}).get("idle_cpu")
    out["idle_cpu"] = None if idle is None else _idle_summary(idle)
    out["targets"] = _targets(out, raw)
    return out


def _destroy_summary(entry: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """A destroy-with-release figure against the no-op destroy and its limit."""
    parallel = entry["parallel"] or meta["default_parallel"]
    release = meta["release_seconds"]
    waves = math.ceil(entry["jobs"] / parallel)
    return {
        **spread(entry["seconds"]),
        "noop": spread(entry["noop_seconds"]),
        "jobs": entry["jobs"],
        "parallel": parallel,
        "parallel_is_default": entry["parallel"] is None,
        "release_seconds": release,
        "floor_seconds": waves * release,
        "limit_seconds": waves * release + DESTROY_SLACK_SECONDS,
        "over_noop_median": round(
            statistics.median(entry["seconds"]) - statistics.median(entry["noop_seconds"]), 2
        ),
    }


def _idle_summary(idle: dict[str, Any]) -> dict[str, Any]:
    """Fractions of one core: the emulator with schedules, the one without, the ratio."""
    loaded, baseline = idle["loaded"], idle["baseline"]
    base_median = statistics.median(baseline)
    return {
        "schedules": idle["schedules"],
        "window_seconds": idle["window_seconds"],
        "loaded": spread(loaded, 4),
        "baseline": spread(baseline, 4),
        "ratio": None if base_median == 0 else round(statistics.median(loaded) / base_median, 2),
        "extra": round(statistics.median(loaded) - base_median, 4),
    }


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.2f} %"


def _cpu_summary(cpu: dict[str, list[float]], verb: str) -> dict[str, dict[str, Any]]:
    """Median CPU seconds of each process of a ``verb``, BatchJob vs no-op, and the extra."""
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(cpu):
        if not name.startswith(f"jobs_{verb}_") or f"noop_{name[5:]}" not in cpu:
            continue
        jobs = statistics.median(cpu[name])
        noop = statistics.median(cpu[f"noop_{name[5:]}"])
        out[name.removeprefix(f"jobs_{verb}_")] = {
            "jobs": round(jobs, 2),
            "noop": round(noop, 2),
            "extra": round(jobs - noop, 2),
        }
    return out


def _state_summary(state: dict[str, Any]) -> dict[str, Any]:
    per_job = state["per_job"]

    def med(key: str) -> float:
        return float(statistics.median(j[key] for j in per_job))

    rest = med("rest_job_bytes") + med("rest_task_bodies_bytes")
    ours = med("inputs_bytes") + med("outputs_bytes")
    file_per_job = (state["state_file_bytes"] - state["empty_state_file_bytes"]) / state["jobs"]
    return {
        "rest_json_bytes": rest,
        "rest_job_bytes": med("rest_job_bytes"),
        "rest_task_bodies_bytes": med("rest_task_bodies_bytes"),
        "inputs_plus_outputs_bytes": ours,
        "resource_entry_bytes": med("resource_bytes"),
        "state_file_bytes_per_job": round(file_per_job),
        "ratio_inputs_outputs": round(ours / rest, 2),
        "inputs_outputs_within_target": ours <= STATE_RATIO_TARGET * rest,
        "ratio_resource_entry": round(med("resource_bytes") / rest, 2),
        "ratio_state_file": round(file_per_job / rest, 2),
        "tasks_per_job": state["tasks_per_job"],
    }


def _target(name: str, target: str, measured: str, met: bool, note: str = "") -> dict[str, Any]:
    return {"name": name, "target": target, "measured": measured, "met": met, "note": note}


def _budget_note(stack: dict[str, Any], verb: str, limit: float) -> str:
    """For ``up``: the time the target leaves beyond the no-op stack, beside what the API
    script's job and task requests alone take against the same emulator."""
    if verb != "up" or "api_creates" not in stack:
        return ""
    budget = (limit - 1) * stack[verb]["noop"]["median"]
    creates = stack["api_creates"]["median"]
    return (
        f"the target leaves {budget:.2f} s beyond the no-op stack; the API script's "
        f"requests alone take {creates:g} s"
    )


def _targets(out: dict[str, Any], raw: dict[str, Any]) -> list[dict[str, Any]]:
    targets = []
    for m, r in out["requests"].items():
        want = 1 + math.ceil(int(m) / 100)
        targets.append(
            _target(
                f"HTTP requests, `up` of 1 job with {m} tasks",
                f"{want} writes, <= {MAX_READS} reads",
                f"{r['writes']} writes, {r['reads']} reads",
                r["writes"] == want and r["reads"] <= MAX_READS,
            )
        )
    big = max(out["stacks"], key=int)
    for verb, limit in RATIO_TARGETS.items():
        ratio = out["stacks"][big][verb]["ratio_vs_noop"]
        targets.append(
            _target(
                f"`pulumi {verb}` of {big} jobs vs {big} no-op native resources",
                f"<= {limit:.2f}x",
                f"{ratio['median']}x median ({ratio['min']}x min)",
                ratio["median"] <= limit,
                _budget_note(out["stacks"][big], verb, limit),
            )
        )
    dynamic = out["stacks"][big]["up"]["ratio_vs_noop_dynamic"]
    targets.append(
        _target(
            f"`pulumi up` of {big} jobs vs {big} no-op dynamic resources",
            "faster (< 1x)",
            f"{dynamic['median']}x median ({dynamic['min']}x min)",
            dynamic["median"] < 1,
        )
    )
    most = max(d["jobs"] for d in out["destroy_release"].values())
    for d in out["destroy_release"].values():
        if d["jobs"] != most:
            continue
        parallel = (
            f"default `--parallel` ({d['parallel']})"
            if d["parallel_is_default"]
            else (f"`--parallel {d['parallel']}`")
        )
        targets.append(
            _target(
                f"`pulumi destroy` of {most} jobs with {d['release_seconds']:g} s release "
                f"tasks, {parallel}, beyond the no-op native destroy",
                f"<= {d['limit_seconds']:g} s",
                f"{d['over_noop_median']} s ({d['median']} s - {d['noop']['median']} s)",
                d["over_noop_median"] <= d["limit_seconds"],
            )
        )
    st = out["state"]
    targets.append(
        _target(
            "State bytes per job vs its REST JSON",
            f"<= {STATE_RATIO_TARGET}x",
            f"{st['ratio_inputs_outputs']}x (inputs+outputs); "
            f"{st['ratio_resource_entry']}x (whole resource entry)",
            st["inputs_outputs_within_target"],
            "whole entry adds the engine's own fields (see State size)",
        )
    )
    emu = raw["emulator"]
    for store in ("in_memory", "on_disk"):
        tp = (emu.get("throughput") or {}).get(store)
        if not tp:
            continue
        sdk, tasks = tp["job_get"], tp["create_tasks"]
        # Judged with the lean client when measured: the SDK's own CPU per request, in
        # client processes sharing the cores with the server, caps the SDK figure.
        gets = tp.get("job_get_lean_client") or sdk
        client = "lean signed client" if gets is not sdk else "azure-batch SDK"
        targets.append(
            _target(
                f"Emulator job GETs ({store}, {client})",
                ">= 500/s, p99 < 20 ms",
                f"{gets['per_second']}/s, p99 {gets['p99_ms']} ms",
                gets["per_second"] >= 500 and gets["p99_ms"] < 20,
                ""
                if gets is sdk
                else f"through the SDK: {sdk['per_second']}/s, p99 {sdk['p99_ms']} ms; "
                "see Emulator",
            )
        )
        targets.append(
            _target(
                f"Emulator 10,000 tasks via create_tasks ({store})",
                "<= 5 s",
                f"{tasks['seconds']} s ({tasks['requests']} requests)",
                tasks["seconds"] <= 5,
            )
        )
    for store, entry in (emu.get("engine") or {}).items():
        lat = entry["start_latency"]
        targets.append(
            _target(
                f"Task start latency after a slot frees ({store})",
                "p99 < 25 ms",
                f"p50 {lat['p50_ms']} ms, p99 {lat['p99_ms']} ms",
                lat["p99_ms"] < 25,
            )
        )
    for store, rec in ((emu.get("schedules") or {}).get("recurrence_latency") or {}).items():
        targets.append(
            _target(
                f"Recurrence: a job created after its due time, emulated clock ({store})",
                f"p99 <= {RECURRENCE_P99_TARGET_MS:g} ms, none lost",
                f"p50 {rec['p50_ms']} ms, p99 {rec['p99_ms']} ms ({rec['recurrences']} "
                f"recurrences, {rec['lost']} lost)",
                rec["p99_ms"] <= RECURRENCE_P99_TARGET_MS and rec["lost"] == 0,
            )
        )
    idle = out["idle_cpu"]
    if idle is not None:
        ratio = "" if idle["ratio"] is None else f", {idle['ratio']}x"
        targets.append(
            _target(
                f"Idle emulator CPU with {idle['schedules']} active schedules",
                f"< {_percent(IDLE_CPU_TARGET)} of one core",
                f"{_percent(idle['loaded']['median'])} (with none "
                f"{_percent(idle['baseline']['median'])}{ratio})",
                idle["loaded"]["median"] < IDLE_CPU_TARGET and idle["schedules"] >= IDLE_SCHEDULES,
            )
        )
    return targets


def markdown(rep: dict[str, Any]) -> str:
    """The human-readable report."""
    meta = rep["meta"]
    lines = [
        "# Benchmark report",
        "",
        f"Generated by `{meta['command']}` on {meta['date']} ({meta['mode']} mode; "
        f"commit {meta['commit']}; {meta['cpus']} CPUs, Python {meta['python']}, "
        f"Pulumi CLI {meta['pulumi']}; "
        f"{meta['repeats']} repeats per stack figure). Figures are min / median / max; "
        "ratios are median over median (min over min in brackets), against a baseline "
        "measured in the same run. The machine is shared with other work (1/5/15-minute load "
        f"average {meta['load_average_at_start']} at the start, "
        f"{meta['load_average_at_end']} at the end, on {meta['cpus']} CPUs), so absolute "
        f"times are noisy; the whole run took {meta['seconds']} s.",
        "",
        "## Targets (bench/README.md)",
        "",
        "| target | wanted | measured | met |",
        "| --- | --- | --- | --- |",
    ]
    for t in rep["targets"]:
        note = f" ({t['note']})" if t["note"] else ""
        lines.append(
            f"| {t['name']} | {t['target']} | {t['measured']}{note} | "
            f"{'yes' if t['met'] else '**no**'} |"
        )
    lines += [
        "",
        "## Stacks: BatchJob vs the engine's floor (no-op native plugin), a no-op dynamic "
        "provider and the API's floor (plain azure-batch script)",
        "",
        f"Each job: a preparation and a release task and {meta['tasks']} initial tasks. "
        "The no-op stacks declare the same inputs through a native plugin (the same Python "
        "gRPC mechanism as `azure-batch-jobs`) and through a Python dynamic provider whose "
        "steps do nothing; the sized no-op native resources also carry what BatchJob's "
        "check and create add to a job's properties (the account, the service's facts), so "
        "their state entries are a job's size. Each no-op resource is declared through a "
        "`CustomResource` subclass, as provider SDKs declare theirs. "
        f"The API script creates the same jobs {meta['api_parallelism']} at "
        "a time (the CLI's default `--parallel`), one job request and one task-collection "
        "request each; its time includes its interpreter start and imports (creates alone in "
        "brackets). Emulator engine: instant.",
        "",
        "| N | verb | BatchJob | "
        + " | ".join(f"{name} | ratio" for name in BASELINES.values())
        + " | API script | up vs API |",
        "| --- | --- | --- | " + "--- | --- | " * len(BASELINES) + "--- | --- |",
    ]
    for n, row in sorted(rep["stacks"].items(), key=lambda kv: int(kv[0])):
        for verb in ("preview", "up", "destroy"):
            r = row[verb]
            api = (
                f"{_mmm(row['api_script'])} ({row['api_creates']['median']} s)"
                if verb == "up"
                else ""
            )
            vs_api = f"{row['up_ratio_vs_api_script']['median']}x" if verb == "up" else ""
            versus = " | ".join(
                f"{_mmm(r[base])} | {r[f'ratio_vs_{base}']['median']}x "
                f"({r[f'ratio_vs_{base}']['min']}x)"
                for base in BASELINES
            )
            lines.append(f"| {n} | {verb} | {_mmm(r['jobs'])} | {versus} | {api} | {vs_api} |")
    big = max(rep["stacks"], key=int)
    cpu = rep["stacks"][big].get("cpu_seconds") or {}
    if any(cpu.values()):
        lines += [
            "",
            f"CPU seconds used during `preview` and `up` of {big} (median), BatchJob against "
            "the no-op native stack: `pulumi` is the "
            "finished command with everything it started (the kernel's accounting of "
            "waited-for children); the per-process rows are polled from /proc while it runs "
            "(each can miss its process's last 50 ms); the emulator's from /proc.",
            "",
            "| verb | process | BatchJob | no-op native | extra |",
            "| --- | --- | --- | --- | --- |",
        ]
        for verb, per_process in cpu.items():
            for name, c in per_process.items():
                lines.append(f"| {verb} | {name} | {c['jobs']} | {c['noop']} | {c['extra']} |")
    lines += ["", "Requests per job seen by the emulator during `up` (BatchJob / API script):", ""]
    for n, row in sorted(rep["stacks"].items(), key=lambda kv: int(kv[0])):
        ours, api = row["requests_per_job"], row["api_requests_per_job"]
        lines.append(
            f"- N={n}: {ours['writes']:g} writes + {ours['reads']:g} reads per job "
            f"(API script: {api['writes']:g} + {api['reads']:g})"
        )
    lines += ["", "## HTTP requests for `pulumi up` of one job with M tasks", ""]
    lines += ["| M | writes | reads | API minimum | operations | requests during preview |"]
    lines += ["| --- | --- | --- | --- | --- | --- |"]
    for m, r in rep["requests"].items():
        ops = ", ".join(f"{k} {v}" for k, v in sorted(r["operations"].items()))
        lines.append(
            f"| {m} | {r['writes']} | {r['reads']} | "
            f"{r['target_writes']} writes, <= {MAX_READS} reads | {ops} | {r['preview_requests']} |"
        )
    st = rep["state"]
    lines += [
        "",
        "## State size per job",
        "",
        f"A job with {st['tasks_per_job']} tasks. REST JSON = the job as `GET job` returns it "
        f"({st['rest_job_bytes']:g} B) + its task create bodies "
        f"({st['rest_task_bodies_bytes']:g} B) = {st['rest_json_bytes']:g} B (compact JSON).",
        "",
        "| what | bytes | ratio to REST JSON |",
        "| --- | --- | --- |",
        f"| the provider's inputs + outputs (ours) | {st['inputs_plus_outputs_bytes']:g} | "
        f"{st['ratio_inputs_outputs']}x |",
        f"| the whole resource entry (compact) | {st['resource_entry_bytes']:g} | "
        f"{st['ratio_resource_entry']}x |",
        f"| state file growth per job (as written, indented) | "
        f"{st['state_file_bytes_per_job']} | {st['ratio_state_file']}x |",
    ]
    lines += [
        "",
        "## `pulumi destroy` of N jobs whose release tasks each take "
        f"{meta['release_seconds']:g} s",
        "",
    ]
    lines += [
        "Process engine (the release tasks really run). `destroy - no-op` is the median "
        "destroy minus the median destroy of N no-op native resources at the same "
        "`--parallel`, measured right after it (the engine's own cost). The engine deletes P "
        "resources at once, so the floor is ceil(N/P) release durations; the limit allows "
        f"{DESTROY_SLACK_SECONDS:g} s more (the delete's polling and the engine's steps).",
        "",
        "| N | --parallel | destroy | no-op destroy | destroy - no-op | floor | limit |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for d in sorted(rep["destroy_release"].values(), key=lambda d: (d["jobs"], d["parallel"])):
        parallel = f"{d['parallel']} (default)" if d["parallel_is_default"] else d["parallel"]
        lines.append(
            f"| {d['jobs']} | {parallel} | {_mmm(d)} | {_mmm(d['noop'])} | "
            f"{d['over_noop_median']} s | {d['floor_seconds']:g} s | {d['limit_seconds']:g} s |"
        )
    lines += ["", "## Inside the provider process (per call)", ""]
    lines += ["| step | min / median / max |", "| --- | --- |"]
    for k, v in rep["provider_costs"].items():
        unit = "s" if k.endswith("seconds") else "ms"
        lines.append(f"| {k.removesuffix('_ms').removesuffix('_seconds')} | {_mmm(v, unit)} |")
    emu = rep["emulator"]
    lines += ["", "## Emulator", ""]
    lines += [
        "Job GETs from 2 client processes: through the azure-batch SDK, and through a lean "
        "client (`http.client` keep-alive, every request SharedKey-signed with the SDK's "
        "headers) that measures what the emulator can serve; CPU is milliseconds per request "
        "in the server and in the client processes. On 2 cores the SDK's own CPU per request "
        "caps its figure at about 2000 / (client + server) requests per second.",
        "",
        "| store | client | job GETs/s | GET p50 / p99 | CPU ms/request server / client |",
        "| --- | --- | --- | --- | --- |",
    ]
    for store, tp in (emu.get("throughput") or {}).items():
        for client, key in (("azure-batch SDK", "job_get"), ("lean", "job_get_lean_client")):
            g = tp.get(key)
            if not g:
                continue
            cpu = (
                f"{g['server_cpu_ms_per_request']} / {g['client_cpu_ms_per_request']}"
                if "server_cpu_ms_per_request" in g
                else ""
            )
            lines.append(
                f"| {store} | {client} | {g['per_second']} | {g['p50_ms']} / {g['p99_ms']} ms "
                f"| {cpu} |"
            )
    lines += ["", "| store | 10,000 tasks via create_tasks | server CPU | peak RSS |"]
    lines += ["| --- | --- | --- | --- |"]
    for store, tp in (emu.get("throughput") or {}).items():
        t = tp["create_tasks"]
        lines.append(
            f"| {store} | {t['seconds']} s ({t['requests']} requests) | "
            f"{_seconds(t.get('server_cpu_seconds'))} | {tp['peak_rss_mb']} MB |"
        )
    if emu.get("engine"):
        lines += ["", "| store | task start p50 / p99 / max | short tasks on 4 nodes |"]
        lines += ["| --- | --- | --- |"]
        for store, e in emu["engine"].items():
            lat, thr = e["start_latency"], e["throughput"]
            lines.append(
                f"| {store} | {lat['p50_ms']} / {lat['p99_ms']} / {lat['max_ms']} ms | "
                f"{thr['tasks']} tasks in {thr['seconds']} s ({thr['tasks_per_second']}/s) |"
            )
    schedules = emu.get("schedules") or {}
    if schedules:
        lines += [
            "",
            "Job schedules (process engine): jobs recurring every minute on a clock "
            "running faster than real time, latency in real time; an idle emulator's CPU "
            "over windows alternating with an emulator without schedules.",
            "",
            "| store | recurrences (schedules) | latency p50 / p99 / max | lost |",
            "| --- | --- | --- | --- |",
        ]
        for store, rec in schedules["recurrence_latency"].items():
            lines.append(
                f"| {store} | {rec['recurrences']} ({rec['schedules']}) | {rec['p50_ms']} / "
                f"{rec['p99_ms']} / {rec['max_ms']} ms | {rec['lost']} |"
            )
    idle = rep.get("idle_cpu")
    if idle:
        lines += ["", "| idle emulator | share of one core min / median / max |"]
        lines += ["| --- | --- |"]
        for name, key in ((f"{idle['schedules']} schedules", "loaded"), ("none", "baseline")):
            share = idle[key]
            lines.append(
                f"| {name} | {_percent(share['min'])} / {_percent(share['median'])} / "
                f"{_percent(share['max'])} ({share['n']} windows of {idle['window_seconds']:g} s) |"
            )
    if rep.get("notes"):
        lines += ["", "## Notes", ""]
        lines += [f"- {n}" for n in rep["notes"]]
    return "\n".join(lines) + "\n"
