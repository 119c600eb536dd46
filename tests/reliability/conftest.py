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

from batch_emulator.testing import EmulatorHandle, start_emulator
from tests.support.reliability import FIGURES, SOAK


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
    with start_emulator(engine="instant") as handle:
        yield handle
