"""Processes the engine starts: each in its own session, so stopping one kills its group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from pathlib import Path
from typing import IO

__all__ = ["ProcessTable", "Run", "kill_leftovers"]


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def kill_leftovers(ledger: Path) -> list[int]:
    """Kill the process groups an emulator that was killed (SIGKILL, power loss) left
    running, as listed in its ledger; return their ids.

    A group whose leader still exists is killed only if the leader works under the
    ledger's directory (the node root); Linux reuses no pid still in use as a group id,
    so a group without its leader is still one of ours.
    """
    try:
        pgids = [int(p) for p in ledger.read_text().split()]
    except (FileNotFoundError, ValueError):
        pgids = []
    root = ledger.parent.resolve()
    # A process started just before the kill may be missing from the ledger: also every
    # process group working under the node root (Linux /proc), never our own.
    pgids += _groups_working_under(root)
    killed = []
    for pgid in dict.fromkeys(pgids):
        if pgid in (os.getpid(), os.getpgrp()):
            continue
        with contextlib.suppress(OSError):
            cwd = Path(os.readlink(f"/proc/{pgid}/cwd"))
            if cwd != root and root not in cwd.parents:
                continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
            killed.append(pgid)
    with contextlib.suppress(FileNotFoundError):
        ledger.unlink()
    return killed


def _groups_working_under(root: Path) -> list[int]:
    groups = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                cwd = Path(os.readlink(f"/proc/{entry.name}/cwd"))
                if cwd == root or root in cwd.parents:
                    groups.append(os.getpgid(int(entry.name)))
    return groups


class ProcessTable:
    """Every live process the engine started; :meth:`kill_all` leaves no orphan.

    With a ``ledger`` file the live process groups are also listed on disk, so that an
    engine started after a crash of the previous one kills what it left running (a node
    reboot kills the node's processes) before re-running interrupted work.
    """

    def __init__(self, ledger: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._live: set[subprocess.Popen[bytes]] = set()
        self._closed = False
        self._ledger = ledger
        if ledger is not None:
            kill_leftovers(ledger)

    def _record(self) -> None:
        """Rewrite the ledger (caller holds the lock); no fsync: a crash of the machine
        kills the processes too."""
        if self._ledger is None:
            return
        text = "".join(f"{p.pid}\n" for p in self._live)
        with contextlib.suppress(OSError):
            self._ledger.parent.mkdir(parents=True, exist_ok=True)
            partial = self._ledger.with_suffix(".partial")
            partial.write_text(text)
            partial.replace(self._ledger)

    def spawn(
        self, argv: list[str], cwd: Path, env: dict[str, str], out: IO[bytes], err: IO[bytes]
    ) -> subprocess.Popen[bytes]:
        """Start ``argv`` without a shell in a new session (raises OSError if it cannot)."""
        with self._lock:
            if self._closed:
                raise OSError("the engine is shutting down")
            process = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
            self._live.add(process)
            self._record()
        return process

    def reap(self, process: subprocess.Popen[bytes]) -> None:
        """Forget a finished process, killing whatever it left in its group."""
        _kill_group(process)
        with self._lock:
            self._live.discard(process)
            self._record()

    def kill_all(self) -> None:
        with self._lock:
            self._closed = True
            live = list(self._live)
        for process in live:
            _kill_group(process)
        for process in live:
            process.wait(timeout=10)


class Run:
    """One execution attempt the engine may stop for a reason (timeout, reboot, ...)."""

    def __init__(self, kind: str, job_id: str, task_id: str, pool_id: str, node_id: str) -> None:
        self.kind = kind
        self.job_id = job_id
        self.task_id = task_id
        self.pool_id = pool_id
        self.node_id = node_id
        self.stop_reason: str | None = None
        self.done = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def attach(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._process = process
            stopped = self.stop_reason is not None
        if stopped:
            _kill_group(process)

    def stop(self, reason: str) -> None:
        """Kill the process group (now, or as soon as it starts); the first reason wins."""
        with self._lock:
            if self.stop_reason is None:
                self.stop_reason = reason
            process = self._process
        if process is not None:
            _kill_group(process)
