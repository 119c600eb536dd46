"""The main job: deploy the demo stack to a local Batch emulator, run it, destroy it.

``./run demo`` runs this after bootstrapping. It starts ``batch-emulator serve`` (in
memory, a free loopback port) and a small HTTP server for the resource files in
``tools/demo_files`` (the Job Release task's script among them), runs the real Pulumi CLI
offline on the root stack (``Pulumi.yaml``, ``__main__.py``) with state in a temporary
directory, waits for the tasks, shows what ran on which node, runs ``pulumi destroy``
(which runs the Job Release task on every node) and shows what the release tasks wrote.
Everything it started is stopped on the way out, also on failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azure.batch import BatchClient
from azure.core.credentials import AzureNamedKeyCredential
from demo_report import ReleaseWatcher, say, show_release, show_what_ran, step, wait_for_tasks

from batch_emulator.testing import EmulatorHandle, EmulatorStartError, serve_files, start_emulator
from pulumi_env import REPO_ROOT, pulumi_environment

STACK = "demo"
JOB_ID = "release-demo"
#: Served to the tasks as resource files: ``greeting.txt`` and ``release.sh``.
DEMO_FILES = Path(__file__).resolve().parent / "demo_files"


class DemoError(RuntimeError):
    """A step of the demo failed; the message says which and why."""


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


# -- the demo -----------------------------------------------------------------------------


def run_demo(work: Path, *, nodes: int, tasks: int, task_timeout: float) -> int:
    say("Azure Batch jobs with Pulumi: a job with a Job Preparation task, a Job Release task")
    say(f"and {tasks} tasks, deployed to a local Batch emulator and destroyed again.")
    with contextlib.ExitStack() as stack:
        step(f"Starting the Azure Batch emulator (in memory, {nodes} nodes)")
        emulator = _start_emulator(stack, nodes, work / "nodes")
        say(f"    listening on {emulator.endpoint}, account {emulator.account!r}")
        say(f"    process id {emulator.process.pid}, work directory {work} (removed at the end)")
        base_url = stack.enter_context(serve_files(DEMO_FILES))
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
        client = BatchClient(
            emulator.endpoint, AzureNamedKeyCredential(emulator.account, emulator.key)
        )

        step(f"Waiting for the tasks of job {job_id}")
        finished = wait_for_tasks(client, job_id, task_timeout)
        step("What ran where")
        prepared = show_what_ran(client, job_id, finished)

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


def _start_emulator(stack: contextlib.ExitStack, nodes: int, node_root: Path) -> EmulatorHandle:
    """The emulator in its own process group (Ctrl-C reaches the demo, which stops it in
    order), in memory, its nodes' directories under ``node_root``. Its stop is registered
    before a Ctrl-C received while it started is raised."""
    with interrupts_deferred():
        emulator = start_emulator(
            nodes=nodes, slots=2, node_root=node_root, own_session=True, timeout=60.0
        )
        stack.callback(_stop_emulator, emulator)
    return emulator


def _stop_emulator(emulator: EmulatorHandle) -> None:
    say("\n==> Stopping the emulator")
    with signals_ignored():
        emulator.stop(timeout=20.0)


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
        except (DemoError, EmulatorStartError, TimeoutError) as exc:
            say(f"\ndemo failed: {exc}")
            return 1
        except KeyboardInterrupt:
            say("\ndemo interrupted; everything it started has been stopped")
            return 130


if __name__ == "__main__":
    sys.exit(main())
