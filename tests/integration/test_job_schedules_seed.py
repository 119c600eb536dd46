"""The seed's azure-batch 14.x SDK (msrest, ``client.job_schedule.*`` and
``client.job.list_from_job_schedule``) drives every job schedule operation unmodified.

The seed SDK cannot share the venv with azure-batch 15 (same package name): it runs in a
child process with ``PYTHONPATH=.venv/seed-sdk`` (``tests/support/seed_schedules.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from batch_emulator.testing import EmulatorHandle

REPO = Path(__file__).resolve().parents[2]
SEED_SDK = REPO / ".venv" / "seed-sdk"
DRIVER = REPO / "tests" / "support" / "seed_schedules.py"

pytestmark = pytest.mark.skipif(
    not (SEED_SDK / "azure" / "batch").is_dir(), reason=f"seed SDK not installed at {SEED_SDK}"
)


def _drive(emulator: EmulatorHandle, prefix: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(DRIVER), emulator.endpoint, emulator.account, prefix],
        input=emulator.key,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SEED_SDK)},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(json.loads(proc.stdout))


def test_every_job_schedule_operation_through_azure_batch_14(
    emulator: EmulatorHandle, new_id: Callable[[str], str]
) -> None:
    prefix = new_id("seed")
    a, b = f"{prefix}-a", f"{prefix}-b"
    seen = _drive(emulator, prefix)
    assert seen["version"].startswith("14.")
    assert seen["get"] == ["active", 3, 2099]
    assert seen["exists"] == [True, False]
    assert seen["list"] == [a, b]  # two pages of one
    assert seen["patched"] == [["k", "v"]]
    assert (seen["disabled"], seen["enabled"]) == ("disabled", "active")
    assert seen["jobs"] == [f"{a}:job-1"] and seen["recent"] == f"{a}:job-1"
    assert seen["terminated"] == ["completed", "completed"]
    assert seen["twice"] == "JobScheduleExists"
    assert seen["deleted"] == [False, False]
