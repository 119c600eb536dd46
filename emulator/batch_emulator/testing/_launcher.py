"""Start the real ``batch-emulator serve`` as a child process and reach it.

A process, not a thread: callers kill it (SIGKILL) and restart it on the same data,
read its output and measure its memory and CPU. Readiness is the machine-readable line
the CLI prints, never a sleep.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from batch_emulator.cli import READY_PREFIX
from batch_emulator.testing._shared_key import SharedKey

__all__ = ["EmulatorHandle", "EmulatorStartError", "start_emulator"]


class EmulatorStartError(RuntimeError):
    """The emulator exited or did not become ready; the message carries its output."""


@dataclass
class EmulatorHandle:
    """A running emulator process, how to reach it (from its readiness line) and its
    output so far. A context manager: leaving it stops the emulator."""

    endpoint: str
    account: str
    key: str
    process: subprocess.Popen[str]
    engine: str = "process"
    https_endpoint: str | None = None
    ca_cert: str | None = None
    authority: str | None = None
    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    data_dir: str | None = None
    pool_id: str | None = None
    node_root: str | None = None
    output: list[str] = field(default_factory=list)
    own_session: bool = False

    @property
    def env(self) -> dict[str, str]:
        """The Azure CLI's variables for this emulator (plain HTTP endpoint)."""
        return {
            "AZURE_BATCH_ENDPOINT": self.endpoint,
            "AZURE_BATCH_ACCOUNT": self.account,
            "AZURE_BATCH_ACCESS_KEY": self.key,
        }

    def node_dir(self, pool_id: str, node_id: str) -> Path | None:
        """A node's ``AZ_BATCH_NODE_ROOT_DIR`` on this machine (None without a node root)."""
        return None if self.node_root is None else Path(self.node_root) / pool_id.lower() / node_id

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """A shared-key-signed call of ``path`` (with its query); its JSON answer or None."""
        data = None if body is None else json.dumps(body).encode()
        headers = {} if data is None else {"Content-Type": "application/json"}
        if method not in {"GET", "HEAD"}:
            headers["Content-Length"] = str(len(data or b""))
        url = self.endpoint + path
        SharedKey(self.account, self.key).sign(method, url, headers)
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http only
            text = response.read()
        return json.loads(text) if text else None

    def stats(self) -> dict[str, Any]:
        """Request counts per operation (and injected faults) since start or a reset."""
        return dict(self.request("GET", "/_emulator/stats"))

    def reset_stats(self) -> None:
        """Zero the request counters."""
        self.request("POST", "/_emulator/stats/reset")

    def reset(self) -> None:
        """Forget every pool, node, job and task, and the request counters."""
        self.request("POST", "/_emulator/reset")

    def advance_clock(self, seconds: float) -> None:
        """Move the emulated clock forward (the engine's wall-clock limits and retention)."""
        self.request("POST", f"/_emulator/clock/advance?seconds={seconds}")

    def set_faults(self, **config: Any) -> dict[str, Any]:
        """Replace the fault injection settings at run time (``rate=0`` turns it off)."""
        return dict(self.request("POST", "/_emulator/faults", config) or {})

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM, then wait; kill only if it does not stop in time. With its own
        session, also whatever is left of its process group. Returns its exit code."""
        return _stop(self.process, self.own_session, timeout)

    def __enter__(self) -> EmulatorHandle:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def start_emulator(
    *,
    tls: bool = False,
    data_dir: str | os.PathLike[str] | None = None,
    account: str = "emulator",
    key: str | None = None,
    nodes: int = 2,
    slots: int = 2,
    pool_id: str = "default",
    engine: str | None = None,
    node_root: str | os.PathLike[str] | None = None,
    extra_args: Sequence[str] = (),
    own_session: bool = False,
    timeout: float = 30.0,
) -> EmulatorHandle:
    """Start an emulator on 127.0.0.1 (free ports) and return once it is ready.

    In memory unless ``data_dir`` is given (then a restart on it keeps the account's
    resources, its key and its TLS material). ``engine`` is ``process`` (the CLI's
    default: tasks really run, under ``node_root`` if given) or ``instant``;
    ``pool_id=""`` starts without a default pool; ``tls`` adds the HTTPS endpoint and the
    token authority. ``extra_args`` go to ``batch-emulator serve`` as they are (fault
    injection ``--fault-*``, ``--log-level``, ``--time-scale``, ...). ``own_session`` makes
    it lead its own process group: Ctrl-C at a terminal then reaches only the caller, and
    :meth:`EmulatorHandle.stop` reaps the group. Raises :class:`EmulatorStartError` if it
    exits or is not ready within ``timeout`` seconds.
    """
    args = [*_command(), "serve", "--host", "127.0.0.1", "--port", "0", "--account", account]
    args += ["--nodes", str(nodes), "--slots", str(slots), "--pool-id", pool_id]
    args += ["--data-dir", str(data_dir)] if data_dir is not None else ["--in-memory"]
    if key is not None:
        args += ["--key", key]
    if engine is not None:
        args += ["--engine", engine]
    if node_root is not None:
        args += ["--node-root", str(node_root)]
    if tls:
        args.append("--tls")
    process = subprocess.Popen(
        [*args, *extra_args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        start_new_session=own_session,
    )
    output: list[str] = []
    try:
        info = _wait_ready(process, output, timeout)
    except BaseException:
        _stop(process, own_session, timeout=15.0)
        raise
    known = {name: info[name] for name in EmulatorHandle.__dataclass_fields__ if name in info}
    return EmulatorHandle(process=process, output=output, own_session=own_session, **known)


def _command() -> list[str]:
    found = Path(sys.executable).with_name("batch-emulator")
    if found.exists():
        return [str(found)]
    which = shutil.which("batch-emulator")
    return [which] if which else [sys.executable, "-m", "batch_emulator.cli"]


def _wait_ready(
    process: subprocess.Popen[str], output: list[str], timeout: float
) -> dict[str, Any]:
    """The readiness line's JSON; ``output`` keeps collecting the process's lines."""
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, lines, output), daemon=True).start()
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise EmulatorStartError(
                "batch-emulator did not become ready:\n" + "".join(output)
            ) from None
        if line is None:
            process.wait()
            raise EmulatorStartError(
                f"batch-emulator exited with {process.returncode}:\n" + "".join(output)
            )
        if line.startswith(READY_PREFIX):
            return dict(json.loads(line[len(READY_PREFIX) :]))


def _pump(stream: IO[str], lines: queue.Queue[str | None], sink: list[str]) -> None:
    for line in stream:
        sink.append(line)
        lines.put(line)
    lines.put(None)


def _stop(process: subprocess.Popen[str], own_session: bool, timeout: float) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            if own_session:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.wait(timeout)
    if own_session:
        _reap_group(process.pid)
    return int(process.returncode)


def _reap_group(pgid: int, grace: float = 10.0) -> None:
    """Wait until no process of the group is left; SIGKILL what outlives ``grace``."""
    deadline = time.monotonic() + grace
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            deadline = time.monotonic() + 5.0
        time.sleep(0.05)
