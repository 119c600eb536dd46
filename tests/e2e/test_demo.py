"""The README's first command, minus the bootstrap: ``tools/demo.py`` end to end.

It must deploy the root stack to its own emulator, run the tasks, show what ran on which
node, destroy the job (the release task runs on each node), and leave no process behind,
also when interrupted.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO = [sys.executable, str(REPO_ROOT / "tools" / "demo.py")]

pytestmark = pytest.mark.e2e


def _started(output: str) -> tuple[int, str]:
    found = re.search(r"process id (\d+), work directory (\S+)", output)
    assert found, output
    return int(found.group(1)), found.group(2)


def _assert_nothing_left(emulator_pid: int, work_dir: str) -> None:
    # The emulator leads its own process group: no process of it (or of its tasks) remains.
    with pytest.raises(ProcessLookupError):
        os.killpg(emulator_pid, 0)
    # Nor any process that ran with the demo's environment (Pulumi and its plugins).
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        assert work_dir.encode() not in environ, f"process {proc.name} is still running"
    assert not Path(work_dir).exists()
    assert not list(REPO_ROOT.glob("Pulumi.demo.yaml"))


def test_demo_deploys_runs_releases_and_cleans_up() -> None:
    result = subprocess.run(DEMO, capture_output=True, text=True, timeout=420, cwd=REPO_ROOT)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    emulator_pid, work_dir = _started(output)
    assert "+ 2 created" in output and "- 2 deleted" in output
    # Every node that was prepared ran tasks, and its release task left a report saying
    # it removed the files the tasks wrote there.
    prepared = output.count("Job Preparation   completed  exit 0")
    assert prepared >= 1
    assert len(re.findall(r"task-\d\s+completed\s+exit 0", output)) == 4
    # Each task's stdout.txt, read through the file API (the preparation's through the node's).
    assert len(re.findall(r"stdout: task \d ran on ", output)) == 4
    assert output.count("stdout: prepared node ") == prepared
    assert output.count("task:    cleanup of job release-demo") == prepared
    removed = re.findall(r"removed: shared/release-demo-scratch \((\d+) files\)", output)
    assert len(removed) == prepared and sum(int(n) for n in removed) == 4
    assert "scratch directories left on the nodes: 0" in output
    _assert_nothing_left(emulator_pid, work_dir)


def test_ctrl_c_stops_everything() -> None:
    process = subprocess.Popen(
        DEMO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO_ROOT
    )
    assert process.stdout is not None
    seen = ""
    for line in process.stdout:
        seen += line
        if line.startswith("==> pulumi up"):
            break
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=180)
    output = seen + rest
    assert process.returncode == 130, output
    assert "demo interrupted" in output
    _assert_nothing_left(*_started(output))
