"""Start the real ``batch-emulator serve`` as a subprocess, for tests and benchmarks.

    with start_emulator() as emu:
        client = BatchClient(emu.endpoint, AzureNamedKeyCredential(emu.account, emu.key))

Readiness is the machine-readable line the CLI prints (never a sleep). With ``tls=True``
the handle also carries the HTTPS endpoint, the CA certificate to trust and the token
authority (tenant, client id and secret) for azure-identity credentials.
``stats()`` / ``reset_stats()`` read the emulator's per-operation request counters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["READY_PREFIX", "EmulatorHandle", "start_emulator"]

READY_PREFIX = "BATCH_EMULATOR_READY "
_START_TIMEOUT = 30.0


def _executable() -> list[str]:
    found = Path(sys.executable).with_name("batch-emulator")
    if found.exists():
        return [str(found)]
    which = shutil.which("batch-emulator")
    return [which] if which else [sys.executable, "-m", "batch_emulator.cli"]


@dataclass
class EmulatorHandle:
    """A running emulator process and how to reach it."""

    endpoint: str
    account: str
    key: str
    process: subprocess.Popen[str]
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

    @property
    def env(self) -> dict[str, str]:
        """The Azure CLI's variables for this emulator (plain HTTP endpoint)."""
        return {
            "AZURE_BATCH_ENDPOINT": self.endpoint,
            "AZURE_BATCH_ACCOUNT": self.account,
            "AZURE_BATCH_ACCESS_KEY": self.key,
        }

    def _signed(self, method: str, path: str) -> urllib.request.Request:
        url = self.endpoint + path
        headers = {"ocp-date": formatdate(usegmt=True)}
        if method not in {"GET", "HEAD"}:
            headers["Content-Length"] = "0"
        parts = urlsplit(url)
        # Batch's string-to-sign: verb, 11 standard headers (only Content-Length set
        # here), the ocp- headers, then /account/path and the query.
        standard = ["", "", headers.get("Content-Length", "")] + [""] * 8
        text = method + "\n" + "\n".join(standard) + "\n"
        text += f"ocp-date:{headers['ocp-date']}\n/{self.account}{parts.path}"
        query = parse_qs(parts.query)
        for name in sorted(query):
            text += f"\n{name}:{query[name][0]}"
        digest = hmac.new(base64.b64decode(self.key), text.encode(), hashlib.sha256).digest()
        headers["Authorization"] = f"SharedKey {self.account}:{base64.b64encode(digest).decode()}"
        return urllib.request.Request(url, method=method, headers=headers)  # noqa: S310

    def stats(self) -> dict[str, Any]:
        """Request counts per operation since start or the last reset."""
        request = self._signed("GET", "/_emulator/stats")
        with urllib.request.urlopen(request, timeout=10) as r:  # noqa: S310 - http(s) only
            return dict(json.loads(r.read()))

    def reset_stats(self) -> None:
        request = self._signed("POST", "/_emulator/stats/reset")
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - http(s) only
            pass

    def reset(self) -> None:
        """Forget every pool, node, job and task, and the request counters."""
        request = self._signed("POST", "/_emulator/reset")
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - http(s) only
            pass

    def advance_clock(self, seconds: float) -> None:
        """Move the emulated clock forward (the engine's wall-clock limits and retention)."""
        request = self._signed("POST", f"/_emulator/clock/advance?seconds={seconds}")
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - http(s) only
            pass

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM, then wait; kill only if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        return int(self.process.returncode)


def _pump(stream: IO[str], lines: queue.Queue[str | None], sink: list[str]) -> None:
    for line in stream:
        sink.append(line)
        lines.put(line)
    lines.put(None)


def start(
    *,
    tls: bool = False,
    data_dir: str | os.PathLike[str] | None = None,
    account: str = "emulator",
    key: str | None = None,
    nodes: int = 2,
    slots: int = 2,
    pool_id: str = "default",
    extra_args: Sequence[str] = (),
) -> EmulatorHandle:
    """Start an emulator on 127.0.0.1 with free ports; return once it says it is ready."""
    args = [*_executable(), "serve", "--host", "127.0.0.1", "--port", "0", "--account", account]
    args += ["--nodes", str(nodes), "--slots", str(slots), "--pool-id", pool_id]
    args += ["--data-dir", str(data_dir)] if data_dir is not None else ["--in-memory"]
    if key is not None:
        args += ["--key", key]
    if tls:
        args.append("--tls")
    args += list(extra_args)
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []
    threading.Thread(target=_pump, args=(process.stdout, lines, output), daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=_START_TIMEOUT)
        except queue.Empty:
            process.kill()
            raise RuntimeError("batch-emulator did not become ready:\n" + "".join(output)) from None
        if line is None:
            process.wait()
            raise RuntimeError(
                f"batch-emulator exited with {process.returncode}:\n" + "".join(output)
            )
        if line.startswith(READY_PREFIX):
            info = json.loads(line[len(READY_PREFIX) :])
            break
    return EmulatorHandle(
        endpoint=info["endpoint"],
        account=info["account"],
        key=info["key"],
        process=process,
        https_endpoint=info.get("https_endpoint"),
        ca_cert=info.get("ca_cert"),
        authority=info.get("authority"),
        tenant_id=info.get("tenant_id"),
        client_id=info.get("client_id"),
        client_secret=info.get("client_secret"),
        data_dir=info.get("data_dir"),
        pool_id=info.get("pool_id"),
        node_root=info.get("node_root"),
        output=output,
    )


@contextmanager
def start_emulator(**kwargs: Any) -> Iterator[EmulatorHandle]:
    """Context-managed :func:`start`: the emulator is stopped on exit."""
    handle = start(**kwargs)
    try:
        yield handle
    finally:
        handle.stop()
