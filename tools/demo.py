"""The main job: deploy the demo stack to a local Batch emulator, run it, destroy it.

``./run demo`` runs this after bootstrapping. It starts ``batch-emulator serve`` (in
memory, a free loopback port) and a small HTTP server for the resource files, runs the
real Pulumi CLI offline on the root stack (``Pulumi.yaml``, ``__main__.py``) with state
in a temporary directory, waits for the tasks, shows what ran on which node, runs
``pulumi destroy`` (which runs the Job Release task on every node) and shows what the
release tasks wrote. Everything it started is stopped on the way out, also on failure
or Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pulumi_env import REPO_ROOT, pulumi_environment

READY_PREFIX = "BATCH_EMULATOR_READY "
STACK = "demo"
PROJECT = "azure-batch-jobs-demo"
JOB_ID = "release-demo"

GREETING = "Hello from the demo's resource file server.\n"
RELEASE_SCRIPT = """\
#!/bin/sh
# The demo's Job Release task: runs once on each node where the job ran, when it ends.
scratch="$AZ_BATCH_NODE_SHARED_DIR/$AZ_BATCH_JOB_ID-scratch"
report="$AZ_BATCH_NODE_SHARED_DIR/$AZ_BATCH_JOB_ID-release.txt"
count=$(find "$scratch" -type f 2>/dev/null | wc -l | tr -d ' ')
rm -rf "$scratch"
{
  echo "node:    $AZ_BATCH_NODE_ID"
  echo "task:    $AZ_BATCH_TASK_ID of job $AZ_BATCH_JOB_ID"
  echo "removed: shared/$AZ_BATCH_JOB_ID-scratch ($count files)"
  echo "message: $DEMO_MESSAGE"
} > "$report"
echo "release report written to $report"
"""


def say(text: str = "") -> None:
    print(text, flush=True)


def step(text: str) -> None:
    say(f"\n==> {text}")


class DemoError(RuntimeError):
    """A step of the demo failed; the message says which and why."""


# -- the emulator -------------------------------------------------------------------------


@dataclass
class Emulator:
    """``batch-emulator serve`` running as a child process."""

    process: subprocess.Popen[str]
    info: dict[str, Any]
    output: list[str] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return str(self.info["endpoint"])

    @property
    def account(self) -> str:
        return str(self.info["account"])

    @property
    def key(self) -> str:
        return str(self.info["key"])

    @property
    def node_root(self) -> Path | None:
        """Where the emulator keeps its nodes' directories, if it says."""
        root = self.info.get("node_root")
        return Path(root) if root else None

    def node_dir(self, pool_id: str, node_id: str) -> Path | None:
        """A node's ``AZ_BATCH_NODE_ROOT_DIR`` on this machine (the emulator's layout)."""
        root = self.node_root
        return None if root is None else root / pool_id.lower() / node_id

    def stop(self) -> None:
        """SIGTERM and wait; kill its process group only if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        reap_group(self.process.pid)


def _emulator_command() -> list[str]:
    script = Path(sys.executable).with_name("batch-emulator")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "batch_emulator.cli"]


def _pump(stream: IO[str], lines: queue.Queue[str | None], sink: list[str]) -> None:
    for line in stream:
        sink.append(line)
        lines.put(line)
    lines.put(None)


def start_emulator(nodes: int, slots: int, node_root: Path, timeout: float = 60.0) -> Emulator:
    """Start the emulator on a free loopback port; return once it prints its ready line.

    The account lives in memory; the nodes' directories under ``node_root``.
    """
    args = [*_emulator_command(), "serve", "--host", "127.0.0.1", "--port", "0", "--in-memory"]
    args += ["--nodes", str(nodes), "--slots", str(slots), "--pool-id", "default"]
    args += ["--node-root", str(node_root)]
    # Its own process group: Ctrl-C reaches the demo, which stops it in order.
    emulator: Emulator | None = None
    try:
        with interrupts_deferred():
            emulator = Emulator(
                subprocess.Popen(
                    args,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    bufsize=1,
                    start_new_session=True,
                ),
                {},
            )
        _wait_ready(emulator, timeout)
    except BaseException:
        if emulator is not None:
            with signals_ignored():
                emulator.stop()
        raise
    return emulator


def _wait_ready(emulator: Emulator, timeout: float) -> None:
    process = emulator.process
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(
        target=_pump, args=(process.stdout, lines, emulator.output), daemon=True
    ).start()
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise DemoError(
                "the emulator did not become ready:\n" + "".join(emulator.output)
            ) from None
        if line is None:
            process.wait()
            raise DemoError(
                f"the emulator exited with {process.returncode}:\n" + "".join(emulator.output)
            )
        if line.startswith(READY_PREFIX):
            emulator.info = json.loads(line[len(READY_PREFIX) :])
            return


# -- resource files -----------------------------------------------------------------------


@contextlib.contextmanager
def serve_files(files: Mapping[str, str]) -> Iterator[str]:
    """Serve ``files`` (name -> text) over HTTP on 127.0.0.1; yield the base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path.lstrip("/"))
            if body is None:
                self.send_error(404)
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


# -- Pulumi -------------------------------------------------------------------------------


@dataclass
class Pulumi:
    """The real CLI, offline, on the root stack; the stack's config file lives in ``work``."""

    env: dict[str, str]
    config_file: Path
    timeout: float = 600.0

    def run(self, *args: str, capture: bool = False) -> str:
        """Run ``pulumi ARGS`` in the repository root; its own process group, so that on
        Ctrl-C the demo asks it to cancel and waits instead of killing it mid-step."""
        command = ["pulumi", *args, "--stack", STACK, "--cwd", str(REPO_ROOT)]
        process: subprocess.Popen[str] | None = None
        try:
            with interrupts_deferred():
                process = subprocess.Popen(
                    command,
                    env=self.env,
                    stdout=subprocess.PIPE if capture else None,
                    text=True,
                    start_new_session=True,
                )
            out, _ = process.communicate(timeout=self.timeout)
        except BaseException:
            if process is not None:
                with signals_ignored():
                    _interrupt(process)
            raise
        reap_group(process.pid)
        if process.returncode != 0:
            raise DemoError(f"`pulumi {' '.join(args)}` failed with exit code {process.returncode}")
        return out or ""

    def init_stack(self) -> None:
        """Create the stack; move its config file (the passphrase salt) out of the repo."""
        self.run("stack", "init", "--non-interactive")
        created = REPO_ROOT / f"Pulumi.{STACK}.yaml"
        shutil.move(created, self.config_file)


def _interrupt(process: subprocess.Popen[Any]) -> None:
    """Ask the CLI to cancel (SIGINT), then terminate, then kill; then its plugins."""
    for sig, wait in ((signal.SIGINT, 60.0), (signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
        if process.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait)
    reap_group(process.pid)


def reap_group(pgid: int, grace: float = 10.0) -> None:
    """Wait until no process of the group ``pgid`` (one this demo started) is left;
    SIGTERM, then SIGKILL, whatever outlives ``grace`` seconds."""
    deadline = time.monotonic() + grace
    signals = [signal.SIGTERM, signal.SIGKILL]
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        if time.monotonic() > deadline:
            if not signals:
                return
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signals.pop(0))
            deadline = time.monotonic() + 5.0
        time.sleep(0.05)


# -- reading the job back -----------------------------------------------------------------


def batch_client(emulator: Emulator) -> Any:
    from azure.batch import BatchClient
    from azure.core.credentials import AzureNamedKeyCredential

    credential = AzureNamedKeyCredential(emulator.account, emulator.key)
    return BatchClient(emulator.endpoint, credential)


def short(node_id: str) -> str:
    """Emulated node ids are long hashes: show their start and end."""
    return node_id if len(node_id) <= 24 else f"{node_id[:14]}...{node_id[-4:]}"


def _value(enum_or_text: Any) -> str:
    return str(getattr(enum_or_text, "value", enum_or_text) or "-")


def _seconds(info: Any) -> str:
    start, end = getattr(info, "start_time", None), getattr(info, "end_time", None)
    if start is None or end is None:
        return ""
    return f"{(end - start).total_seconds():.1f} s"


def wait_for_tasks(client: Any, job_id: str, timeout: float) -> list[Any]:
    """Poll the job's tasks until all completed (at most ``timeout`` s), showing progress."""
    started = time.monotonic()
    last, shown_at = "", started
    while True:
        tasks = list(client.list_tasks(job_id))
        counts: dict[str, int] = {}
        for task in tasks:
            counts[_value(task.state)] = counts.get(_value(task.state), 0) + 1
        line = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        elapsed = time.monotonic() - started
        done = all(_value(t.state) == "completed" for t in tasks)
        if line != last or done or time.monotonic() - shown_at >= 10:
            say(f"    {len(tasks)} tasks: {line or 'none'}  ({elapsed:.0f} s)")
            last, shown_at = line, time.monotonic()
        if done:
            return tasks
        if elapsed > timeout:
            raise DemoError(f"the tasks did not complete within {timeout:g} s")
        time.sleep(0.5)


def _last_line(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    lines = path.read_text(errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def shorten_ids(text: str, node_ids: Iterable[str]) -> str:
    for node_id in node_ids:
        text = text.replace(node_id, short(node_id))
    return text


def show_what_ran(emulator: Emulator, client: Any, job_id: str, tasks: Sequence[Any]) -> set[str]:
    """Per node: the preparation task's result, then the tasks that ran there.

    States, exit codes and times come from the Batch API; the last line of each task's
    stdout.txt is read from the node's directory, which the emulator keeps on this machine.
    """
    statuses = list(client.list_job_preparation_and_release_task_status(job_id))
    by_node: dict[str, dict[str, Any]] = {}
    for status in statuses:
        by_node[status.node_id] = {"status": status, "pool": status.pool_id, "tasks": []}
    unplaced = []
    for task in sorted(tasks, key=lambda t: str(t.id)):
        node_info: Any = getattr(task, "node_info", None)
        node = getattr(node_info, "node_id", None)
        if node is None:
            unplaced.append(task)
            continue
        entry = by_node.setdefault(node, {"status": None, "pool": node_info.pool_id, "tasks": []})
        entry["tasks"].append(task)
    if not statuses:
        say("    (no per-node preparation status reported by the service)")
    for node_id in sorted(by_node):
        entry = by_node[node_id]
        node_dir = emulator.node_dir(str(entry["pool"]), node_id)
        job_dir = None if node_dir is None else node_dir / "workitems" / job_id / "job-1"
        say(f"    node {short(node_id)}")
        prep = getattr(entry["status"], "job_preparation_task_execution_info", None)
        if prep is None:
            say("      Job Preparation   (no status reported for this node)")
        else:
            say(
                f"      Job Preparation   {_value(prep.state):<10} exit {prep.exit_code}"
                f"  {_seconds(prep)}"
            )
            out = _last_line(None if job_dir is None else job_dir / "jobpreparation/stdout.txt")
            if out:
                say(f"        stdout: {shorten_ids(out, by_node)}")
        for task in entry["tasks"]:
            info = task.execution_info
            exit_code = getattr(info, "exit_code", None)
            say(f"      {task.id:<17} {_value(task.state):<10} exit {exit_code}  {_seconds(info)}")
            out = _last_line(None if job_dir is None else job_dir / str(task.id) / "stdout.txt")
            if out:
                say(f"        stdout: {shorten_ids(out, by_node)}")
    for task in unplaced:
        say(f"    {task.id}: {_value(task.state)} (no node reported)")
    if emulator.node_root is None:
        say("    (the emulator reports no node directory: task output not shown)")
    return {
        s.node_id
        for s in statuses
        if _value(getattr(s.job_preparation_task_execution_info, "state", None)) == "completed"
    }


class ReleaseWatcher:
    """Polls the job's preparation/release status while ``pulumi destroy`` deletes it:
    the service reports it only until the job is gone."""

    def __init__(self, client: Any, job_id: str) -> None:
        self._client = client
        self._job_id = job_id
        self._stop = threading.Event()
        self.seen: dict[str, list[str]] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ReleaseWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        from azure.core.exceptions import HttpResponseError

        while not self._stop.is_set():
            try:
                for status in self._client.list_job_preparation_and_release_task_status(
                    self._job_id
                ):
                    info = status.job_release_task_execution_info
                    if info is not None:
                        text = _value(info.state)
                        if info.exit_code is not None:
                            text += f" (exit {info.exit_code})"
                        states = self.seen.setdefault(status.node_id, [])
                        if not states or states[-1] != text:
                            states.append(text)
            except HttpResponseError:
                pass  # gone (404) or being deleted: keep what was seen
            self._stop.wait(0.05)


def show_release(
    emulator: Emulator, watched: Mapping[str, list[str]], job_id: str, prepared: set[str]
) -> bool:
    """What the service reported about the release tasks, and the reports they left in
    each node's shared directory; True if every prepared node has a report and no
    scratch directory is left."""
    if watched:
        say("    Job Release states the Batch API reported while the job was being deleted:")
        for node_id in sorted(watched):
            say(f"      node {short(node_id)}: {' -> '.join(watched[node_id])}")
    else:
        say("    (the job was gone before a poll of its release status; the reports below show the")
        say("    release tasks ran)")
    if emulator.node_root is None:
        say("    (the emulator reports no node directory: release reports not shown)")
        return False
    reports = sorted(emulator.node_root.glob(f"*/*/shared/{job_id}-release.txt"))
    if not reports:
        say(f"    (no release report found under {emulator.node_root})")
        return False
    nodes = {report.parent.parent.name for report in reports}
    for report in reports:
        say(f"    {shorten_ids(str(report.relative_to(emulator.node_root)), nodes)}:")
        for line in report.read_text(errors="replace").splitlines():
            say(f"      {shorten_ids(line, nodes)}")
    leftovers = sorted(emulator.node_root.glob(f"*/*/shared/{job_id}-scratch"))
    say(f"    scratch directories left on the nodes: {len(leftovers)}")
    missing = prepared - nodes
    if missing:
        say(f"    prepared nodes without a release report: {', '.join(sorted(missing))}")
    return not missing and not leftovers


# -- the demo -----------------------------------------------------------------------------


def run_demo(work: Path, *, nodes: int, tasks: int, task_timeout: float) -> int:
    say("Azure Batch jobs with Pulumi: a job with a Job Preparation task, a Job Release task")
    say(f"and {tasks} tasks, deployed to a local Batch emulator and destroyed again.")
    with contextlib.ExitStack() as stack:
        step(f"Starting the Azure Batch emulator (in memory, {nodes} nodes)")
        emulator = start_emulator(nodes=nodes, slots=2, node_root=work / "nodes")
        stack.callback(_stop_emulator, emulator)
        say(f"    listening on {emulator.endpoint}, account {emulator.account!r}")
        say(f"    process id {emulator.process.pid}, work directory {work} (removed at the end)")
        base_url = stack.enter_context(
            serve_files({"greeting.txt": GREETING, "release.sh": RELEASE_SCRIPT})
        )
        say(f"    resource files served from {base_url}")

        env = pulumi_environment(work / "pulumi")
        env.update(
            AZURE_BATCH_ENDPOINT=emulator.endpoint,
            AZURE_BATCH_ACCOUNT=emulator.account,
            AZURE_BATCH_ACCESS_KEY=emulator.key,
        )
        pulumi = Pulumi(env, work / f"Pulumi.{STACK}.yaml")
        step("Creating the stack (local file backend in a temporary directory)")
        pulumi.init_stack()
        config = {"filesUrl": base_url, "taskCount": str(tasks)}
        for key, value in config.items():
            pulumi.run("config", "set", "--config-file", str(pulumi.config_file), key, value)

        step("pulumi up")
        pulumi.run("up", "--yes", "--skip-preview", "--config-file", str(pulumi.config_file))
        outputs = json.loads(pulumi.run("stack", "output", "--json", capture=True))
        job_id = str(outputs.get("job_id") or JOB_ID)
        client = batch_client(emulator)

        step(f"Waiting for the tasks of job {job_id}")
        finished = wait_for_tasks(client, job_id, task_timeout)
        step("What ran where")
        prepared = show_what_ran(emulator, client, job_id, finished)

        step("pulumi destroy (deleting the job runs its Job Release task on each node)")
        with ReleaseWatcher(client, job_id) as watcher:
            pulumi.run(
                "destroy",
                "--yes",
                "--skip-preview",
                "--remove",
                "--config-file",
                str(pulumi.config_file),
            )
        step("What the Job Release tasks did")
        released = show_release(emulator, watcher.seen, job_id, prepared)
    step("Done: the emulator is stopped, its nodes' directories and the stack's state removed")
    if not released:
        say("demo failed: the release tasks did not leave the expected reports (see above)")
        return 1
    return 0


def _stop_emulator(emulator: Emulator) -> None:
    say("\n==> Stopping the emulator")
    with signals_ignored():
        emulator.stop()


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C / SIGTERM while a child is being started, so that it is never started
    without the demo knowing its process id; re-raised right after."""
    received: list[int] = []

    def note(signum: int, _frame: object) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, note) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        raise KeyboardInterrupt


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    """A second Ctrl-C must not cut the clean-up short."""
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=2, help="nodes of the emulator's pool")
    parser.add_argument("--tasks", type=int, default=4, help="tasks of the demo job")
    parser.add_argument(
        "--task-timeout", type=float, default=180.0, help="seconds to wait for the tasks"
    )
    args = parser.parse_args(argv)
    # SIGTERM as Ctrl-C, so that the clean-up below runs either way.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix="batch-demo-") as tmp:
        try:
            return run_demo(
                Path(tmp), nodes=args.nodes, tasks=args.tasks, task_timeout=args.task_timeout
            )
        except DemoError as exc:
            say(f"\ndemo failed: {exc}")
            return 1
        except KeyboardInterrupt:
            say("\ndemo interrupted; everything it started has been stopped")
            return 130


if __name__ == "__main__":
    sys.exit(main())
