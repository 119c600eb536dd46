"""Run one attempt of a task: directories, resource files, the process, its limits."""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from batch_emulator.engine._process import ProcessTable, Run
from batch_emulator.engine._resources import ResourceFileError, download_all
from batch_emulator.engine._timers import Timers

__all__ = ["Attempt", "Outcome", "container_note", "execution_extra", "run_attempt"]

_DOCKER_SOCKET = Path("/var/run/docker.sock")


@dataclass(frozen=True)
class Attempt:
    """Everything one attempt needs, resolved by the engine."""

    task_dir: Path
    command_line: str
    env: dict[str, str]
    resource_files: list[dict[str, Any]] = field(default_factory=list)
    container_settings: dict[str, Any] | None = None
    deadline: datetime | None = None


@dataclass
class Outcome:
    """How an attempt ended; ``stopped`` names why the engine ended it, if it did."""

    exit_code: int | None = None
    failure: dict[str, Any] | None = None
    container: dict[str, Any] | None = None
    stopped: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.failure is None and self.exit_code == 0


def execution_extra(outcome: Outcome) -> dict[str, Any]:
    """Failure and container info of an outcome, as execution info fields."""
    extra: dict[str, Any] = {}
    if outcome.failure is not None:
        extra["failureInfo"] = outcome.failure
    if outcome.container is not None:
        extra["containerInfo"] = outcome.container
    return extra


def _failure(category: str, code: str, message: str) -> dict[str, Any]:
    return {"category": category, "code": code, "message": message}


def container_note(settings: dict[str, Any]) -> dict[str, Any]:
    """The container info Batch reports; here it says the task ran on the host, and why."""
    engine = shutil.which("docker") is not None and _DOCKER_SOCKET.exists()
    reason = (
        "the emulator does not start containers"
        if engine
        else "no container runtime is available on this machine"
    )
    return {
        "state": "notstarted",
        "error": f"Container image {settings.get('imageName', '?')} was not run: {reason}. "
        "The task ran on the host with the same AZ_BATCH_NODE_ROOT_DIR layout and environment.",
    }


def run_attempt(run: Run, attempt: Attempt, processes: ProcessTable, timers: Timers) -> Outcome:
    """Prepare the task directory, fetch resource files, run the command, apply limits."""
    wd = attempt.task_dir / "wd"
    wd.mkdir(parents=True, exist_ok=True)
    outcome = Outcome()
    if attempt.container_settings is not None:
        outcome.container = container_note(attempt.container_settings)
    try:
        download_all(wd, attempt.resource_files)
    except ResourceFileError as error:
        outcome.failure = _failure("usererror", "ResourceFileDownloadFailed", str(error))
        return outcome
    try:
        argv = shlex.split(attempt.command_line)
    except ValueError as error:
        argv = []
        outcome.failure = _failure("usererror", "CommandLineInvalid", str(error))
    if not argv:
        outcome.failure = outcome.failure or _failure(
            "usererror", "CommandLineInvalid", "The command line is empty."
        )
        return outcome
    if run.stop_reason is not None:
        outcome.stopped = run.stop_reason
        return outcome
    with (
        open(attempt.task_dir / "stdout.txt", "wb") as out,
        open(attempt.task_dir / "stderr.txt", "wb") as err,
    ):
        try:
            process = processes.spawn(argv, wd, attempt.env, out, err)
        except OSError as error:
            outcome.failure = _failure(
                "usererror",
                "CommandProgramNotFound"
                if isinstance(error, FileNotFoundError)
                else "TaskStartFailed",
                f"The task's command could not be started: {error}",
            )
            return outcome
    run.attach(process)  # kills it at once if the engine stopped the run meanwhile
    timer = None
    if attempt.deadline is not None:
        timer = timers.at(attempt.deadline, lambda: run.stop("timeout"))
    code = process.wait()
    if timer is not None:
        timer.cancel()
    processes.reap(process)
    outcome.exit_code = 128 - code if code < 0 else code
    outcome.stopped = run.stop_reason
    if run.stop_reason == "timeout":
        outcome.failure = _failure(
            "usererror",
            "MaxWallClockTimeExceeded",
            "The task ran longer than its maximum wall clock time and was terminated.",
        )
    elif outcome.exit_code != 0:
        outcome.failure = _failure(
            "usererror",
            "FailureExitCode",
            f"The task process exited with an unexpected exit code {outcome.exit_code}.",
        )
    return outcome
