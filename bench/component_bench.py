"""Component benchmarks: BatchJob stacks against the engine's floor and the API's floor.

Everything runs for real: the provisioned Pulumi CLI through the Automation API on a
local file backend (``tools/pulumi_env.py``), the ``batch-emulator`` on 127.0.0.1, and
the azure-batch SDK. Each figure is a list of samples; ``bench/report.py`` turns them
into min/median/max and ratios. Not a test: it measures.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from resource import RUSAGE_CHILDREN, getrusage
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (ROOT, ROOT / "tools", BENCH / "stacklib"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from azure.batch import BatchClient  # noqa: E402
from azure.core.credentials import AzureNamedKeyCredential  # noqa: E402
from noop_plugin import PLUGIN_NAME  # noqa: E402
from pulumi import automation as auto  # noqa: E402
from spec import job_spec  # noqa: E402

from batch_emulator.testing import EmulatorHandle  # noqa: E402
from tests.support.pulumi_stack import local_stack  # noqa: E402

PROGRAMS = BENCH / "programs"
JOB_TYPE = "azure-batch-jobs:index:BatchJob"
#: The CLI's default ``--parallel``: 4 resource operations per CPU.
DEFAULT_PARALLEL = 4 * (os.cpu_count() or 1)
#: Jobs in flight at once in the API script: as many as the engine sends the plugin.
API_PARALLELISM = DEFAULT_PARALLEL
#: The stacks the engine benchmarks compare, in the order of the first repeat.
KINDS = ("jobs", "noop", "noop_sized", "noop_dynamic")
#: The stacks of the no-op native plugin.
NATIVE_NOOPS = ("noop", "noop_sized")


def _pythonpath() -> list[str]:
    return [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]


def log(message: str) -> None:
    """Progress on stderr, so a long run shows where it is."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def client_of(emu: EmulatorHandle) -> BatchClient:
    return BatchClient(emu.endpoint, AzureNamedKeyCredential(emu.account, emu.key))


def _noop_plugin(plugin_dir: Path) -> dict[str, Path]:
    """Write the no-op plugin's executable (run by this interpreter) into ``plugin_dir``;
    the plugins entry that names it."""
    plugin_dir.mkdir(parents=True, exist_ok=True)
    executable = plugin_dir / f"pulumi-resource-{PLUGIN_NAME}"
    executable.write_text(
        f"#!{sys.executable}\n"
        f"import sys\nsys.path.insert(0, {str(BENCH / 'stacklib')!r})\n"
        "from noop_plugin import main\nmain()\n"
    )
    executable.chmod(0o755)
    return {PLUGIN_NAME: plugin_dir}


@dataclass
class StackRun:
    """One stack (jobs or no-op) of N resources, created fresh in ``work``."""

    kind: str  # "jobs", "noop" or "noop_sized" (native plugin), or "noop_dynamic"
    count: int
    tasks: int
    emu: EmulatorHandle
    work: Path
    release_seconds: float = 0.0
    prefix: str = "bench"
    stack: auto.Stack = field(init=False)

    def __post_init__(self) -> None:
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        self.stack = local_stack(
            PROGRAMS / self.kind,
            self.work,
            stack_name="bench",
            extra_env={"PYTHONPATH": os.pathsep.join([str(BENCH / "stacklib"), *_pythonpath()])},
            other_plugins=_noop_plugin(self.work / "plugin") if self.kind in NATIVE_NOOPS else None,
        )
        config = {
            "count": str(self.count),
            "tasks": str(self.tasks),
            "release_seconds": str(self.release_seconds),
            "prefix": self.prefix,
            "azure-batch-jobs:endpoint": self.emu.endpoint,
            "azure-batch-jobs:accountName": self.emu.account,
        }
        values = {k: auto.ConfigValue(v) for k, v in config.items()}
        values["azure-batch-jobs:accountKey"] = auto.ConfigValue(self.emu.key, secret=True)
        self.stack.set_all_config(values)  # one CLI call instead of one per key

    def timed(self, verb: str, **options: Any) -> float:
        """Seconds the CLI took for ``preview``, ``up`` or ``destroy`` (checked), with the
        Automation API's ``options`` (e.g. ``parallel``)."""
        action: Callable[..., Any] = getattr(self.stack, verb)
        began = time.perf_counter()
        result = action(**options)
        elapsed = time.perf_counter() - began
        summary = getattr(getattr(result, "summary", None), "result", "succeeded")
        if summary != "succeeded":
            raise RuntimeError(f"{self.kind} {verb} N={self.count}: {summary}")
        return elapsed

    def state(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.state_path().read_text())
        return data

    def state_path(self) -> Path:
        project = f"bench-{self.kind.replace('_', '-')}"
        return self.work / "backend" / ".pulumi" / "stacks" / project / "bench.json"

    def remove(self) -> None:
        """Forget the stack: its backend, home and program copy all live in ``work``."""
        shutil.rmtree(self.work, ignore_errors=True)


def children_cpu_seconds() -> float:
    """CPU time of this process's finished children: a finished ``pulumi`` command with
    its language host, program and provider host (each waited for by its parent)."""
    usage = getrusage(RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu_seconds(pid: int) -> float:
    """CPU time a running process (the emulator) has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descends_from(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return False


#: Which process of a ``pulumi <verb>`` a command line belongs to.
CPU_ROLES = (
    ("provider", "pulumi-resource-"),  # a native plugin (ours or the no-op)
    ("provider", "pulumi.dynamic"),  # the dynamic provider host
    ("program", "pulumi-language-python-exec"),
    ("language host", "pulumi-language-python "),
)


class CpuWatch:
    """CPU time per process of a running ``pulumi <verb>`` (this process's descendants),
    polled from /proc: the processes are gone when it ends, so each figure can miss its
    process's last poll interval."""

    def __init__(self, verb: str, interval: float = 0.05) -> None:
        self._roles = (*CPU_ROLES, ("engine (CLI)", f"pulumi --non-interactive {verb}"))
        self._interval = interval
        self._last: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> CpuWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    role = next((r for r, mark in self._roles if mark in command), None)
                    if role is not None and _descends_from(int(entry.name), os.getpid()):
                        self._last[int(entry.name)] = (role, process_cpu_seconds(int(entry.name)))
                except (OSError, ValueError):
                    continue

    def by_role(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for role, seconds in self._last.values():
            out[role] = round(out.get(role, 0.0) + seconds, 2)
        return out


def _writes_reads(stats: dict[str, Any]) -> tuple[int, int]:
    return int(stats["writes"]), int(stats["reads"])


def _timed_with_cpu(run: StackRun, verb: str) -> tuple[float, dict[str, float]]:
    """Seconds of ``verb`` and the CPU seconds it cost: ``pulumi`` (the finished command
    and all it started), each of its processes, and the emulator."""
    emu_pid = run.emu.process.pid
    cpu, emu_cpu = children_cpu_seconds(), process_cpu_seconds(emu_pid)
    with CpuWatch(verb) as watch:
        seconds = run.timed(verb)
    used = watch.by_role()
    used["pulumi"] = round(children_cpu_seconds() - cpu, 2)
    used["emulator"] = round(process_cpu_seconds(emu_pid) - emu_cpu, 2)
    return seconds, used


def engine_vs_floor(
    emu: EmulatorHandle, work: Path, counts: list[int], tasks: int, repeats: int
) -> dict[str, Any]:
    """preview / up / destroy of N jobs, of N no-op native resources and of N no-op
    dynamic resources, interleaved (ABC CBA ...) so all see the same machine load;
    emulator request counts of each ``up``, CPU time of each ``preview`` and ``up``."""
    results: dict[str, Any] = {}
    for n in counts:
        samples: dict[str, list[float]] = {}
        cpu_samples: dict[str, list[float]] = {}
        requests: list[dict[str, int]] = []
        state_bytes: list[int] = []
        for rep in range(repeats):
            for kind in KINDS[::-1] if rep % 2 else KINDS:
                log(f"{kind} N={n} repeat {rep + 1}/{repeats}")
                prefix = f"{kind}{n}r{rep}"
                run = StackRun(kind, n, tasks, emu, work / f"{kind}-{n}", prefix=prefix)
                for verb in ("preview", "up"):
                    emu.reset_stats()
                    seconds, cpu = _timed_with_cpu(run, verb)
                    samples.setdefault(f"{kind}_{verb}", []).append(seconds)
                    for role, used in cpu.items():
                        cpu_samples.setdefault(f"{kind}_{verb}_{role}", []).append(used)
                if kind == "jobs":
                    writes, reads = _writes_reads(emu.stats())
                    requests.append({"writes": writes, "reads": reads})
                    state_bytes.append(run.state_path().stat().st_size)
                samples.setdefault(f"{kind}_destroy", []).append(run.timed("destroy"))
                run.remove()
        results[str(n)] = {
            "seconds": samples,
            "cpu_seconds": cpu_samples,
            "requests": requests,
            "state_file_bytes": state_bytes,
        }
    return results


API_FLOOR_SCRIPT = r"""
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
began = time.perf_counter()
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.credentials import AzureNamedKeyCredential
sys.path.insert(0, sys.argv[5])
from spec import job_spec

endpoint, account, key, count, _, tasks, prefix, parallel = sys.argv[1:9]
client = BatchClient(endpoint, AzureNamedKeyCredential(account, key))
imported = time.perf_counter()

def create(i):
    spec = job_spec(f"{prefix}-{i}", int(tasks), 0)
    job = m.BatchJobCreateOptions(
        id=spec["id"],
        priority=spec["priority"],
        pool_info=m.BatchPoolInfo(pool_id="default"),
        job_preparation_task=m.BatchJobPreparationTask(
            command_line=spec["job_preparation_task"]["command_line"]
        ),
        job_release_task=m.BatchJobReleaseTask(
            command_line=spec["job_release_task"]["command_line"],
            max_wall_clock_time=spec["job_release_task"]["max_wall_clock_time"],
        ),
    )
    client.create_job(job)
    group = [m.BatchTaskCreateOptions(id=t["id"], command_line=t["command_line"])
             for t in spec["tasks"]]
    for start in range(0, len(group), 100):
        client.create_task_collection(
            spec["id"], m.BatchTaskGroup(task_values=group[start:start + 100])
        )

with ThreadPoolExecutor(int(parallel)) as pool:
    list(pool.map(create, range(int(count))))
done = time.perf_counter()
print(json.dumps({"create_seconds": done - imported, "imports_seconds": imported - began}))
"""


def api_floor(emu: EmulatorHandle, counts: list[int], tasks: int, repeats: int) -> dict[str, Any]:
    """The same N jobs (job + its tasks, 100 per request) from a plain azure-batch script,
    ``API_PARALLELISM`` jobs at a time: wall time of the whole script and of the creates alone."""
    results: dict[str, Any] = {}
    for n in counts:
        wall: list[float] = []
        creates: list[float] = []
        requests: list[dict[str, int]] = []
        for rep in range(repeats):
            log(f"api script N={n} repeat {rep + 1}/{repeats}")
            emu.reset_stats()
            prefix = f"api{n}r{rep}"
            args = [emu.endpoint, emu.account, emu.key, str(n), str(BENCH / "stacklib")]
            args += [str(tasks), prefix, str(API_PARALLELISM)]
            began = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", API_FLOOR_SCRIPT, *args],
                check=True,
                capture_output=True,
                text=True,
            )
            wall.append(time.perf_counter() - began)
            creates.append(float(json.loads(out.stdout)["create_seconds"]))
            writes, reads = _writes_reads(emu.stats())
            requests.append({"writes": writes, "reads": reads})
            _delete_jobs(emu, [f"{prefix}-{i}" for i in range(n)])
        results[str(n)] = {"seconds": {"script": wall, "creates": creates}, "requests": requests}
    return results


def _delete_jobs(emu: EmulatorHandle, job_ids: list[str]) -> None:
    """Delete the API script's jobs, so every step starts from a similar store."""
    client = client_of(emu)

    def delete(job_id: str) -> None:
        # A float interval works; the SDK's annotation says int.
        client.begin_delete_job(job_id, polling_interval=0.1).result()  # type: ignore[arg-type]

    with ThreadPoolExecutor(API_PARALLELISM) as pool:
        list(pool.map(delete, job_ids))


def requests_per_job(emu: EmulatorHandle, work: Path, task_counts: list[int]) -> dict[str, Any]:
    """HTTP requests the emulator saw for ``pulumi up`` of one job with M tasks, against
    the API minimum 1 + ceil(M/100) writes and at most one read."""
    results: dict[str, Any] = {}
    for m in task_counts:
        log(f"requests of one job with {m} tasks")
        run = StackRun("jobs", 1, m, emu, work / f"requests-{m}", prefix=f"requests{m}")
        emu.reset_stats()
        run.timed("preview")
        preview = emu.stats()
        emu.reset_stats()
        run.timed("up")
        stats = emu.stats()
        run.timed("destroy")
        run.remove()
        results[str(m)] = {
            "writes": stats["writes"],
            "reads": stats["reads"],
            "preview_requests": preview["total"],
            "operations": {r["operation"]: r["count"] for r in stats["operations"]},
            "target_writes": 1 + math.ceil(m / 100),
            "target_reads_max": 1,
        }
    return results


def _compact(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), default=str).encode())


def state_size(emu: EmulatorHandle, work: Path, count: int, tasks: int) -> dict[str, Any]:
    """State bytes per job against the job's REST JSON (GET job, plus the initial tasks'
    create bodies the state also carries)."""
    log(f"state size of {count} jobs with {tasks} tasks")
    run = StackRun("jobs", count, tasks, emu, work / "state", prefix="state")
    run.timed("up")
    state = run.state()
    resources = state["checkpoint"]["latest"]["resources"]
    jobs = [r for r in resources if r["type"] == JOB_TYPE]
    client = client_of(emu)
    per_job: list[dict[str, Any]] = []
    for resource in jobs:
        job_id = resource["id"]
        job_json = client.get_job(job_id).as_dict()
        tasks_json = [
            {"id": t["id"], "commandLine": t["command_line"]}
            for t in job_spec(job_id, tasks, 0)["tasks"]
        ]
        listed = [t.as_dict() for t in client.list_tasks(job_id)]
        per_job.append(
            {
                "resource_bytes": _compact(resource),
                "inputs_bytes": _compact(resource.get("inputs")),
                "outputs_bytes": _compact(resource.get("outputs")),
                "rest_job_bytes": _compact(job_json),
                "rest_task_bodies_bytes": _compact(tasks_json),
                "rest_tasks_listed_bytes": _compact(listed),
            }
        )
    file_bytes = run.state_path().stat().st_size
    run.timed("destroy")
    empty_bytes = run.state_path().stat().st_size
    run.remove()
    return {
        "jobs": count,
        "tasks_per_job": tasks,
        "state_file_bytes": file_bytes,
        "empty_state_file_bytes": empty_bytes,
        "per_job": per_job,
    }


def _wait_tasks_done(client: BatchClient, job_ids: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for job_id in job_ids:
        while True:
            counts = client.get_job_task_counts(job_id).task_counts
            if counts.active == 0 and counts.running == 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"tasks of {job_id} still running after {timeout} s")
            time.sleep(0.2)


def destroy_with_release(
    emu: EmulatorHandle,
    work: Path,
    runs: list[tuple[int, int | None]],
    tasks: int,
    seconds: float,
    repeats: int,
) -> dict[str, Any]:
    """``pulumi destroy`` of N jobs whose release tasks each sleep ``seconds`` (process
    engine), for each (N, ``--parallel``) of ``runs`` (None: the CLI's default), and the
    destroy of N no-op native resources at the same parallelism right after it (the
    engine's floor)."""
    results: dict[str, Any] = {}
    client = client_of(emu)
    for n, parallel in runs:
        samples: list[float] = []
        floors: list[float] = []
        options = {} if parallel is None else {"parallel": parallel}
        label = "default" if parallel is None else str(parallel)
        for rep in range(repeats):
            log(f"destroy of {n} jobs, {seconds:g} s releases, --parallel {label}, {rep + 1}")
            prefix = f"destroy{n}p{label}r{rep}"
            run = StackRun("jobs", n, tasks, emu, work / f"destroy-{n}", seconds, prefix=prefix)
            run.timed("up")
            _wait_tasks_done(client, [f"{prefix}-{i}" for i in range(n)], timeout=120 + 2 * n)
            samples.append(run.timed("destroy", **options))
            run.remove()
            floor = StackRun("noop", n, tasks, emu, work / f"destroy-noop-{n}", prefix=prefix)
            floor.timed("up")
            floors.append(floor.timed("destroy", **options))
            floor.remove()
        results[f"{n}@{label}"] = {
            "jobs": n,
            "parallel": parallel,
            "seconds": samples,
            "noop_seconds": floors,
        }
    return results
