"""The TypeScript and Go SDKs: committed as the schema generates them, and they compile."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_azure_batch_jobs.provider._server import DISTRIBUTION
from pulumi_azure_batch_jobs.provider._tokens import PACKAGE

REPO_ROOT = Path(__file__).resolve().parents[2]
SDK_DIR = REPO_ROOT / "sdk"
GO = shutil.which("go")

pytestmark = pytest.mark.e2e


def _run(cmd: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_the_committed_sdks_are_what_the_schema_generates() -> None:
    result = _run([sys.executable, "tools/gen_sdks.py", "--check"], REPO_ROOT)
    assert result.returncode == 0, result.stderr


def test_the_typescript_sdk_compiles_with_strict() -> None:
    tsc = REPO_ROOT / "node_modules" / ".bin" / "tsc"
    result = _run([str(tsc), "-p", "sdk/nodejs", "--strict", "--noEmit"], REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_go_sdk_builds_and_vets() -> None:
    assert GO is not None, "Go (which builds the toolchain) is needed"
    for step in (["build", "./..."], ["vet", "./..."]):
        result = _run([GO, *step], SDK_DIR / "go")
        assert result.returncode == 0, result.stdout + result.stderr


def test_every_sdk_asks_for_the_plugin_at_the_distributions_version() -> None:
    """``respectSchemaVersion``: a plugin installed by version is then found offline."""
    from importlib.metadata import version

    expected = {"resource": True, "name": PACKAGE, "version": version(DISTRIBUTION)}
    package = json.loads((SDK_DIR / "nodejs" / "package.json").read_text())
    assert package["version"] == expected["version"]
    assert package["pulumi"] == expected
    plugin = json.loads((SDK_DIR / "go" / "azurebatchjobs" / "pulumi-plugin.json").read_text())
    assert plugin == expected
