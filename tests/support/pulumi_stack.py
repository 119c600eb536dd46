"""Drive real stacks with the Automation API and the provisioned CLI, offline."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from pulumi_env import (
    REPO_ROOT,
    current_venv,
    pulumi_bin_dir,
    pulumi_command,
    pulumi_environment,
    with_local_plugin,
)

#: Empty values: the component ignores them, so only config (or nothing) names the account.
NO_ACCOUNT_ENV = {
    "AZURE_BATCH_ENDPOINT": "",
    "AZURE_BATCH_ACCOUNT": "",
    "AZURE_BATCH_ACCESS_KEY": "",
}
#: The repository's Node.js packages (bootstrap): ``@pulumi/pulumi`` and the built SDK.
NODE_MODULES = REPO_ROOT / "node_modules"


def local_stack(
    program_dir: Path,
    state_dir: Path,
    *,
    stack_name: str = "test",
    config: Mapping[str, str] | None = None,
    secrets: Mapping[str, str] | None = None,
    extra_env: Mapping[str, str] | None = None,
    other_plugins: Mapping[str, Path] | None = None,
) -> auto.Stack:
    """Create (or select) ``stack_name`` of a copy of ``program_dir`` on a file backend.

    The program is copied under ``state_dir`` so stack config files never land in the
    source tree; its ``Pulumi.yaml`` points at this venv's plugin and ``other_plugins``
    (name: directory), and a Node.js program gets the repository's ``node_modules``.
    """
    env = pulumi_environment(state_dir)
    env.update(extra_env or {})
    work_dir = state_dir / "program"
    if not work_dir.exists():
        shutil.copytree(program_dir, work_dir, ignore=shutil.ignore_patterns("Pulumi.*.yaml"))
        project_file = work_dir / "Pulumi.yaml"
        project = with_local_plugin(project_file.read_text(), current_venv() / "bin", other_plugins)
        project_file.write_text(project)
        if (work_dir / "package.json").exists():
            (work_dir / "node_modules").symlink_to(NODE_MODULES)
    workspace = auto.LocalWorkspace(
        work_dir=str(work_dir),
        pulumi_command=pulumi_command(),
        env_vars=env,
        pulumi_home=env["PULUMI_HOME"],
    )
    stack = auto.Stack.create_or_select(stack_name, workspace)
    for key, value in (config or {}).items():
        stack.set_config(key, auto.ConfigValue(value))
    for key, value in (secrets or {}).items():
        stack.set_config(key, auto.ConfigValue(value, secret=True))
    return stack


def state_file(state_dir: Path, project: str, stack_name: str = "test") -> dict[str, Any]:
    """The checkpoint the local backend wrote for the stack, as JSON."""
    path = state_dir / "backend" / ".pulumi" / "stacks" / project / f"{stack_name}.json"
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def resources_of_type(state: Mapping[str, Any], type_: str) -> list[dict[str, Any]]:
    """The resources of one type in a checkpoint."""
    resources = state.get("checkpoint", {}).get("latest", {}).get("resources") or []
    return [r for r in resources if r.get("type") == type_]


def state_texts(state_dir: Path) -> list[str]:
    """Every file a local backend (and its stack's program copy) left under ``state_dir``,
    as text (gzipped checkpoints decompressed): what a secrets scan must read."""
    texts = []
    for path in state_dir.rglob("*"):
        if "node_modules" in path.relative_to(state_dir).parts:
            continue  # the repository's packages, linked into a Node.js program
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            texts.append(data.decode("utf-8", "replace"))
    return texts


def run_cli(stack: auto.Stack, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI itself in the stack's project (``pulumi import`` has no Automation API verb
    that takes ``--generate-code=false``, which the Python host built here needs)."""
    workspace = stack.workspace
    env = {**workspace.env_vars}
    return subprocess.run(
        [str(pulumi_bin_dir() / "pulumi"), *args, "--stack", stack.name, "--non-interactive"],
        cwd=workspace.work_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def stack_state_dir(stack: auto.Stack) -> Path:
    """The ``state_dir`` a :func:`local_stack` was made in."""
    return Path(str(stack.workspace.work_dir)).parent
