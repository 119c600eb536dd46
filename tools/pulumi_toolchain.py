"""Provision the real Pulumi CLI at the version of the installed ``pulumi`` Python SDK.

Order of preference:

1. ``~/.pulumi/versions/<version>/bin`` already complete (the cache Pulumi's own
   tooling uses) -> nothing to do;
2. a ``pulumi`` of exactly that version on ``PATH`` whose directory also holds the
   Python language host -> use it where it is;
3. build the CLI and the Python language host with Go from the module proxy, using
   the wrapper modules under ``tools/pulumi-cli`` and ``tools/pulumi-language-python``,
   and copy the two helper scripts the language host needs from the ``sdk/v3`` module.

Run as a script it prints the ``bin`` directory to use.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent
CLI_MODULE_DIR = TOOLS_DIR / "pulumi-cli"
LANGUAGE_HOST_MODULE_DIR = TOOLS_DIR / "pulumi-language-python"

CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
LANGUAGE_HOST_PACKAGE = "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3"
VERSION_SYMBOL = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"

BINARIES = ("pulumi", "pulumi-language-python")
HELPER_SCRIPTS = {
    "pulumi-language-python-exec": "python/cmd/pulumi-language-python-exec",
    "pulumi-resource-pulumi-python": "python/dist/pulumi-resource-pulumi-python",
}


class ToolchainError(RuntimeError):
    """The Pulumi CLI could not be provisioned; the message says why and what to do."""


def sdk_version() -> str:
    """The version of the installed ``pulumi`` Python SDK, e.g. ``3.260.0``."""
    return importlib.metadata.version("pulumi")


def install_root(version: str) -> Path:
    """``~/.pulumi/versions/<version>``: where ``PulumiCommand.install`` would put it too."""
    return Path.home() / ".pulumi" / "versions" / version


def cli_version(pulumi: Path) -> str | None:
    """The version a ``pulumi`` binary reports, without the leading ``v``."""
    try:
        out = subprocess.run(
            [str(pulumi), "version"], capture_output=True, text=True, timeout=60, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out.removeprefix("v") or None


def is_complete(bin_dir: Path, version: str) -> bool:
    """True when ``bin_dir`` holds the CLI at ``version`` and everything the host needs."""
    names = (*BINARIES, *HELPER_SCRIPTS)
    if not all(os.access(bin_dir / name, os.X_OK) for name in names):
        return False
    return cli_version(bin_dir / "pulumi") == version


def _go_module_version(module_dir: Path, module: str) -> str:
    match = re.search(
        rf"^(?:require)?\s*{re.escape(module)} (v\S+)", (module_dir / "go.mod").read_text(), re.M
    )
    if not match:
        raise ToolchainError(f"{module_dir / 'go.mod'} does not require {module}")
    return match.group(1)


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    print(f"+ {' '.join(cmd)}", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise ToolchainError(f"`{' '.join(cmd)}` failed in {cwd.name}:\n{proc.stderr.strip()}")
    return proc.stdout.strip()


def build(version: str, dest: Path) -> None:
    """Build the CLI and the language host with Go into ``dest`` (a fresh directory)."""
    go = shutil.which("go")
    if go is None:
        raise ToolchainError(
            f"Pulumi CLI {version} is not installed and Go is not available to build it. "
            "Install Go >= 1.26, or install the Pulumi CLI at exactly this version."
        )
    pinned = _go_module_version(CLI_MODULE_DIR, "github.com/pulumi/pulumi/pkg/v3")
    if pinned != f"v{version}":
        raise ToolchainError(
            f"tools/pulumi-cli pins pulumi {pinned} but the Python SDK is {version}; "
            "keep them equal (edit tools/pulumi-cli/go.mod and run `go mod tidy`)."
        )
    env = {**os.environ, "GOFLAGS": "-buildvcs=false"}
    print(f"Building Pulumi CLI v{version} with Go (several minutes)...", file=sys.stderr)
    ldflags = f"-X {VERSION_SYMBOL}=v{version}"
    _run(
        [go, "build", "-o", str(dest / "pulumi"), "-ldflags", ldflags, CLI_PACKAGE],
        CLI_MODULE_DIR,
        env,
    )
    _run(
        [go, "build", "-o", str(dest / "pulumi-language-python"), LANGUAGE_HOST_PACKAGE],
        LANGUAGE_HOST_MODULE_DIR,
        env,
    )
    sdk_dir = Path(_run([go, "list", "-m", "-f", "{{.Dir}}", SDK_MODULE], CLI_MODULE_DIR, env))
    for name, rel in HELPER_SCRIPTS.items():
        shutil.copyfile(sdk_dir / rel, dest / name)
        (dest / name).chmod(0o755)


def provision() -> Path:
    """Return a ``bin`` directory holding the pinned CLI and language host, building if needed."""
    version = sdk_version()
    bin_dir = install_root(version) / "bin"
    if is_complete(bin_dir, version):
        return bin_dir
    on_path = shutil.which("pulumi")
    if on_path and is_complete(Path(on_path).resolve().parent, version):
        return Path(on_path).resolve().parent
    root = install_root(version)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=root) as tmp:
        staging = Path(tmp) / "bin"
        staging.mkdir()
        build(version, staging)
        if not is_complete(staging, version):
            raise ToolchainError(f"the freshly built CLI in {staging} does not report v{version}")
        if bin_dir.exists():
            shutil.rmtree(bin_dir)
        staging.rename(bin_dir)
    return bin_dir


def main() -> int:
    try:
        print(provision())
    except ToolchainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
