"""The wheels the packaging tests install from, downloaded once by ``tools/bootstrap.sh``.

``tests/packaging/test_distributions.py`` builds both distributions as a user's tooling
would (``python -m build``: the build backend in an isolated environment) and installs the
component's wheel into a fresh virtualenv beside :data:`ALTERNATE_PULUMI`, a Pulumi 3.x
other than the one ``constraints.txt`` pins, always with ``pip --no-index --find-links``
:data:`WHEELHOUSE`: the test suite itself downloads nothing.

This script fills the wheelhouse with the build backend of both ``pyproject.toml`` files
and the component's runtime dependencies resolved beside :data:`ALTERNATE_PULUMI`, without
``constraints.txt`` (as a user's pip resolves them). It does nothing when the wheelhouse
already holds what those inputs ask for. Run as a script it prints the wheelhouse.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
#: The two distributions' project directories: the component's, the emulator's.
PROJECTS = (REPO_ROOT, REPO_ROOT / "emulator")
WHEELHOUSE = REPO_ROOT / ".venv" / "wheelhouse"
#: A Pulumi 3.x in the component's range other than the pinned one (constraints.txt).
ALTERNATE_PULUMI = "3.272.0"
STAMP = WHEELHOUSE / ".stamp"


def pyproject(project: Path) -> dict[str, Any]:
    """The parsed ``pyproject.toml`` of ``project``."""
    with (project / "pyproject.toml").open("rb") as file:
        table: dict[str, Any] = tomllib.load(file)
    return table


def requirements() -> list[str]:
    """What the wheelhouse must satisfy: the build backends, the component's dependencies
    and the alternate Pulumi."""
    tables = [pyproject(project) for project in PROJECTS]
    backends = [req for table in tables for req in table["build-system"]["requires"]]
    runtime: list[str] = tables[0]["project"]["dependencies"]
    return [*dict.fromkeys(backends), *runtime, f"pulumi=={ALTERNATE_PULUMI}"]


def offline_pip_env() -> dict[str, str]:
    """The environment in which pip (also the one ``python -m build`` runs) installs only
    from the wheelhouse."""
    return {
        **os.environ,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


def fill() -> Path:
    """Download what :func:`requirements` needs into :data:`WHEELHOUSE`, unless done."""
    wanted = requirements()
    platform = f"{sys.implementation.cache_tag} {sys.platform}"
    stamp = hashlib.sha256(json.dumps([platform, *wanted]).encode()).hexdigest()
    if STAMP.is_file() and STAMP.read_text().strip() == stamp:
        return WHEELHOUSE
    shutil.rmtree(WHEELHOUSE, ignore_errors=True)
    WHEELHOUSE.mkdir(parents=True)
    print("Downloading the packaging tests' wheels into .venv/wheelhouse ...", file=sys.stderr)
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:"]
    subprocess.run([*pip, "--dest", str(WHEELHOUSE), *wanted], check=True)
    STAMP.write_text(stamp + "\n")
    return WHEELHOUSE


if __name__ == "__main__":
    print(fill())
