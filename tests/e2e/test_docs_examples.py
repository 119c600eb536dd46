"""The example of each language in ``docs/_index.md`` compiles against its SDK (Python with
mypy, TypeScript with tsc, Go with go build) or, for YAML, names only the schema's
properties; ``docs/installation-configuration.md`` names real settings."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pulumi_azure_batch_jobs.provider._schema import package_schema
from pulumi_azure_batch_jobs.provider._tokens import RESOURCE

REPO_ROOT = Path(__file__).resolve().parents[2]
INDEX = REPO_ROOT / "docs" / "_index.md"
INSTALL = REPO_ROOT / "docs" / "installation-configuration.md"
SCHEMA = package_schema("0.0.0-test")

pytestmark = pytest.mark.e2e


def example(language: str) -> str:
    """The one fenced block under ``### <language>``."""
    section = INDEX.read_text().split(f"\n### {language}\n", 1)[1].split("\n### ", 1)[0]
    blocks: list[str] = re.findall(r"^```\w+\n(.*?)^```", section, re.M | re.S)
    [block] = blocks
    return block


def _run(cmd: list[str], cwd: Path) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_python_example_type_checks(tmp_path: Path) -> None:
    (tmp_path / "example.py").write_text(example("Python"))
    _run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "example.py"], tmp_path)


def test_the_typescript_example_compiles_strict(tmp_path: Path) -> None:
    (tmp_path / "index.ts").write_text(example("TypeScript"))
    (tmp_path / "node_modules").symlink_to(REPO_ROOT / "node_modules")
    options = ["--strict", "--noEmit", "--target", "ES2022", "--module", "commonjs"]
    options += ["--moduleResolution", "node", "--types", "node"]
    _run([str(REPO_ROOT / "node_modules" / ".bin" / "tsc"), *options, "index.ts"], tmp_path)


def test_the_go_example_builds(tmp_path: Path) -> None:
    go = shutil.which("go")
    assert go is not None, "Go (which builds the toolchain) is needed"
    (tmp_path / "main.go").write_text(example("Go"))
    sdk_mod = (REPO_ROOT / "sdk" / "go" / "go.mod").read_text()
    requires = sdk_mod.split("\n", 1)[1]  # the SDK's go and require lines
    (tmp_path / "go.mod").write_text(
        "module example\n"
        + requires
        + "\nrequire pulumi-azure-batch-jobs/sdk/go v0.0.0\n"
        + f"replace pulumi-azure-batch-jobs/sdk/go => {REPO_ROOT / 'sdk' / 'go'}\n"
    )
    shutil.copyfile(REPO_ROOT / "sdk" / "go" / "go.sum", tmp_path / "go.sum")
    _run([go, "build", "-o", "example", "."], tmp_path)


def _names(value: Any, spec: dict[str, Any], path: str) -> list[str]:
    """Properties under ``value`` that ``spec`` (a schema object or property) lacks."""
    if "$ref" in spec:
        spec = SCHEMA["types"][spec["$ref"].removeprefix("#/types/")]
    if spec.get("type") == "array" and isinstance(value, list):
        return [bad for i, item in enumerate(value) for bad in _names(item, spec["items"], path)]
    if not isinstance(value, dict) or "properties" not in spec:
        return []
    unknown = [f"{path}.{key}" for key in value if key not in spec["properties"]]
    for key, item in value.items():
        if key in spec["properties"]:
            unknown += _names(item, spec["properties"][key], f"{path}.{key}")
    return unknown


def test_the_yaml_example_names_only_schema_properties() -> None:
    yaml = pytest.importorskip("yaml")  # PyYAML, a dependency of the dev tools
    program = yaml.safe_load(example("YAML"))
    [job] = program["resources"].values()
    assert job["type"] == RESOURCE
    resource = SCHEMA["resources"][RESOURCE]
    assert _names(job["properties"], {"properties": resource["inputProperties"]}, "") == []
    assert set(resource["requiredInputs"]) <= set(job["properties"])


def test_the_installation_guide_names_real_settings() -> None:
    text = INSTALL.read_text()
    config = set(re.findall(r"`azure-batch-jobs:(\w+)`", text))
    assert config == set(SCHEMA["config"]["variables"])
    connection = (REPO_ROOT / "components/pulumi_azure_batch_jobs/core/_connection.py").read_text()
    for variable in set(re.findall(r"`(AZURE_BATCH_\w+)`", text)):
        assert f'"{variable}"' in connection, variable
    package = json.loads((REPO_ROOT / "sdk" / "nodejs" / "package.json").read_text())
    assert f"build/{package['name']}-{package['version']}.tgz" in text
