"""The ``batch-emulator serve`` command: its announcement, loopback guard and shutdown."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from azure.batch import BatchClient
from azure.core.credentials import AzureNamedKeyCredential

from batch_emulator.testing import start_emulator


def _cli() -> str:
    return str(Path(sys.executable).with_name("batch-emulator"))


def test_refuses_non_loopback_without_flag() -> None:
    result = subprocess.run(
        [_cli(), "serve", "--host", "0.0.0.0", "--in-memory"],  # noqa: S104
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr


def test_announcement_evaluates_in_a_shell() -> None:
    with start_emulator(key="a2V5LWZvci10ZXN0cw==", account="acct1") as emu:
        assert emu.endpoint.startswith("http://127.0.0.1:")
        exports = "".join(line for line in emu.output if line.startswith("export "))
        shown = subprocess.run(
            [
                "/bin/sh",
                "-c",
                exports + 'printf "%s|%s|%s" "$AZURE_BATCH_ENDPOINT" '
                '"$AZURE_BATCH_ACCOUNT" "$AZURE_BATCH_ACCESS_KEY"',
            ],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        assert shown == f"{emu.endpoint}|acct1|a2V5LWZvci10ZXN0cw=="
        client = BatchClient(emu.endpoint, AzureNamedKeyCredential("acct1", "a2V5LWZvci10ZXN0cw=="))
        assert [p.id for p in client.list_pools()] == ["default"]


def test_sigint_stops_cleanly() -> None:
    with start_emulator(pool_id="") as emu:
        emu.process.send_signal(signal.SIGINT)
        assert emu.process.wait(15) == 0
    assert any("stopped" in line for line in emu.output)


def test_rejects_a_key_that_is_not_base64() -> None:
    result = subprocess.run(
        [_cli(), "serve", "--in-memory", "--key", "not base64!"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "base64" in result.stderr
    assert "not base64!" not in result.stderr
