"""Fixtures of the reliability suite, and its figures printed at the end of the run.

``RELIABILITY_SOAK=1`` runs the larger sizes (50 jobs, 20 kill points);
``RELIABILITY_REPORT=path.json`` also writes the figures there, for run-to-run comparison.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.core.credentials import AzureNamedKeyCredential

from tests.reliability.support import FIGURES, SOAK
from tests.support.emulator import EmulatorHandle, start_emulator


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for row in FIGURES:
        terminalreporter.write_line(json.dumps(row, sort_keys=True))
    path = os.environ.get("RELIABILITY_REPORT")
    if path:
        Path(path).write_text(json.dumps({"soak": SOAK, "results": FIGURES}, indent=2) + "\n")


@pytest.fixture
def instant_emulator() -> Iterator[EmulatorHandle]:
    with start_emulator(extra_args=["--engine", "instant"]) as handle:
        yield handle


def batch_client(emulator: EmulatorHandle) -> BatchClient:
    """A client of the test itself (faults are off when it is used)."""
    credential = AzureNamedKeyCredential(emulator.account, emulator.key)
    return BatchClient(emulator.endpoint, credential)
