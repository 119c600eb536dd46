"""The two distributions as a user gets them: one version each, stated once and agreed on by
everything that names it; dependency ranges that hold the tested versions (constraints.txt);
wheels and sdists that build, pass ``twine check`` and install beside another Pulumi 3.x.

Builds and installs use only ``.venv/wheelhouse`` (``tools/wheelhouse.py``, run by the
bootstrap): the suite downloads nothing. The SDKs' own version fields are checked against
the distribution's by ``tests/e2e/test_sdks.py``.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from email.parser import HeaderParser
from importlib.metadata import distributions, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from wheelhouse import ALTERNATE_PULUMI, PROJECTS, WHEELHOUSE, offline_pip_env, pyproject

import batch_emulator
from pulumi_azure_batch_jobs.provider._server import DISTRIBUTION, BatchJobsServicer

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPONENT, EMULATOR = PROJECTS
EMULATOR_DISTRIBUTION = "azure-batch-emulator"
#: What only the emulator, a server, needs: the component must pull in none of it.
SERVER_ONLY = {"starlette", "uvicorn", "httptools", EMULATOR_DISTRIBUTION}
SDK_TARBALL = re.compile(r"azure-batch-jobs-pulumi-(\d[\w.]*)\.tgz")
#: A row of docs/installation-configuration.md's table: dependency, of, range, tested.
VERSION_ROW = re.compile(r"^\| `([\w-]+)` \| `([\w-]+)` \| `([^`]+)` \| `([^`]+)` \|$", re.M)
TIMEOUT = 300


def _declared(project: Path) -> tuple[str, list[Requirement]]:
    """A project's version and runtime requirements, as its pyproject.toml states them."""
    table = pyproject(project)["project"]
    return table["version"], [Requirement(text) for text in table["dependencies"]]


def _pinned() -> dict[str, str]:
    """constraints.txt: canonical name -> the exact version tested."""
    pins: dict[str, str] = {}
    for line in (REPO_ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            pins[canonicalize_name(name)] = pinned.strip()
    return pins


def _run(cmd: list[str | Path], cwd: Path = REPO_ROOT) -> str:
    result = subprocess.run(
        [str(part) for part in cmd],
        cwd=cwd,
        env=offline_pip_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"{cmd}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _wheel_metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return HeaderParser().parsestr(archive.read(name).decode())


def _runtime_requirements(metadata: Message) -> list[Requirement]:
    """Requires-Dist without the extras' (dev) requirements."""
    requirements = [Requirement(text) for text in metadata.get_all("Requires-Dist") or []]
    return [r for r in requirements if r.marker is None or "extra" not in str(r.marker)]


def test_each_distribution_has_one_version_that_everything_reports() -> None:
    component, _ = _declared(COMPONENT)
    emulator, _ = _declared(EMULATOR)
    assert version(DISTRIBUTION) == component, "stale editable install: ./run bootstrap"
    assert version(EMULATOR_DISTRIBUTION) == batch_emulator.__version__ == emulator

    servicer = BatchJobsServicer(None)
    info = asyncio.run(servicer.GetPluginInfo(None, None))
    schema = json.loads(asyncio.run(servicer.GetSchema(None, None)).schema)
    assert info.version == schema["version"] == component

    # The packed TypeScript SDK and every project or doc naming a tarball or the SDK.
    assert (REPO_ROOT / "build" / f"azure-batch-jobs-pulumi-{component}.tgz").is_file()
    docs = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
    named = {m for doc in docs for m in SDK_TARBALL.findall(doc.read_text())}
    assert named <= {component}
    programs = [*REPO_ROOT.glob("examples/*/package.json")]
    programs += REPO_ROOT.glob("tests/*/programs/*/package.json")
    for program in programs:
        dependencies = json.loads(program.read_text())["dependencies"]
        assert dependencies.get("azure-batch-jobs-pulumi", component) == component, program


@pytest.mark.parametrize("project", PROJECTS, ids=["component", "emulator"])
def test_dependencies_are_ranges_that_hold_the_tested_versions(project: Path) -> None:
    _, requirements = _declared(project)
    pinned = _pinned()
    for requirement in requirements:
        assert not any(spec.operator in ("==", "===") for spec in requirement.specifier)
        assert any(spec.operator == "<" for spec in requirement.specifier), requirement
        tested = pinned[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(tested), (requirement, tested)


def test_constraints_pin_every_package_of_the_virtualenv() -> None:
    editable = {canonicalize_name(DISTRIBUTION), canonicalize_name(EMULATOR_DISTRIBUTION)}
    installed = {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in distributions()
        if canonicalize_name(d.metadata["Name"]) not in editable | {"pip", "setuptools"}
    }
    assert installed == _pinned()


def test_the_alternate_pulumi_is_another_3x_in_the_components_range() -> None:
    [pulumi] = [r for r in _declared(COMPONENT)[1] if r.name == "pulumi"]
    assert pulumi.specifier.contains(ALTERNATE_PULUMI)
    assert ALTERNATE_PULUMI != _pinned()["pulumi"] == version("pulumi")


def test_the_docs_name_the_declared_ranges_and_the_tested_versions() -> None:
    text = (REPO_ROOT / "docs" / "installation-configuration.md").read_text()
    rows = {(n, of, SpecifierSet(r), tested) for n, of, r, tested in VERSION_ROW.findall(text)}
    pinned = _pinned()
    declared = {
        (r.name, pyproject(project)["project"]["name"], r.specifier, pinned[r.name])
        for project in PROJECTS
        for r in _declared(project)[1]
    }
    assert rows == declared
    assert f"Pulumi {ALTERNATE_PULUMI}" in text


def test_wheels_and_sdists_build_pass_twine_and_install_beside_another_pulumi(
    tmp_path: Path,
) -> None:
    assert WHEELHOUSE.is_dir(), "no wheelhouse: ./run bootstrap"
    dist = tmp_path / "dist"
    for project in PROJECTS:
        _run([sys.executable, "-m", "build", "--outdir", dist, project])
    _run([sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir())])

    component_version, _ = _declared(COMPONENT)
    emulator_version, emulator_requires = _declared(EMULATOR)
    wheel = dist / f"azure_batch_jobs_pulumi-{component_version}-py3-none-any.whl"
    emulator_wheel = dist / f"azure_batch_emulator-{emulator_version}-py3-none-any.whl"
    sdist = dist / f"azure_batch_jobs_pulumi-{component_version}.tar.gz"
    assert {wheel, emulator_wheel, sdist} <= set(dist.iterdir())

    # The component asks for ranges, and for nothing the emulator (a server) needs.
    metadata = _wheel_metadata(wheel)
    assert metadata["Version"] == component_version
    requires = {canonicalize_name(r.name) for r in _runtime_requirements(metadata)}
    assert requires == {"pulumi", "azure-batch", "azure-core", "azure-identity"}
    assert not requires & (SERVER_ONLY | {canonicalize_name(r.name) for r in emulator_requires})
    assert _wheel_metadata(emulator_wheel)["Version"] == emulator_version
    with zipfile.ZipFile(wheel) as archive:
        # ARCHITECTURE.md: the plugin is found through Pulumi.yaml, not a pulumi-plugin.json.
        assert not [n for n in archive.namelist() if n.endswith("pulumi-plugin.json")]
    with tarfile.open(sdist) as archive:
        top = f"azure_batch_jobs_pulumi-{component_version}/"
        members = [m.name.removeprefix(top) for m in archive.getmembers() if m.isfile()]
    strays = [m for m in members if "/" in m and not m.startswith("components/")]
    assert strays == [], "the sdist holds files outside the package"

    # A fresh virtualenv: the component's wheel beside another Pulumi 3.x; resolve, import.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", python, "install", "-q"]
    _run([*pip, wheel, f"pulumi=={ALTERNATE_PULUMI}"])
    probe = (
        "import json, importlib.metadata as m\n"
        "import pulumi_azure_batch_jobs, pulumi_azure_batch_jobs.provider._server\n"
        "print(json.dumps([[d.metadata['Name'], d.version] for d in m.distributions()]))\n"
    )
    installed: dict[str, str] = {
        canonicalize_name(n): v for n, v in json.loads(_run([python, "-c", probe]))
    }
    assert installed["pulumi"] == ALTERNATE_PULUMI
    assert installed[canonicalize_name(DISTRIBUTION)] == component_version
    assert not SERVER_ONLY & set(installed)
    assert (venv / "bin" / "pulumi-resource-azure-batch-jobs").is_file()
