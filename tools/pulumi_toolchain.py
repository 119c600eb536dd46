"""Provision the real Pulumi CLI, at the version of the installed ``pulumi`` Python SDK,
and the Python, Node.js and YAML language hosts beside it.

Everything goes to ``~/.pulumi/versions/<version>/bin`` (the cache Pulumi's own tooling
uses). Order of preference:

1. that directory already complete -> nothing to do;
2. a ``pulumi`` of exactly that version on ``PATH`` whose directory holds everything else
   too -> use it where it is;
3. otherwise build, with Go from the module proxy, each binary that is missing, from its
   wrapper module under ``tools/`` (committed ``go.mod``/``go.sum``), and copy the two
   helper scripts the Python host needs from the ``sdk/v3`` module.

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
from dataclasses import dataclass
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent
CLI_MODULE_DIR = TOOLS_DIR / "pulumi-cli"
SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3"
VERSION_SYMBOL = f"{SDK_MODULE}/go/common/version.Version"


@dataclass(frozen=True)
class Binary:
    """One binary of the toolchain and the wrapper module that pins it."""

    name: str
    module_dir: Path
    package: str
    stamps_version: bool = False  # built with the CLI's version in VERSION_SYMBOL


BINARIES = (
    Binary("pulumi", CLI_MODULE_DIR, "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", True),
    Binary(
        "pulumi-language-python",
        TOOLS_DIR / "pulumi-language-python",
        f"{SDK_MODULE}/python/cmd/pulumi-language-python",
    ),
    Binary(
        "pulumi-language-nodejs",
        TOOLS_DIR / "pulumi-language-nodejs",
        f"{SDK_MODULE}/nodejs/cmd/pulumi-language-nodejs",
    ),
    Binary(
        "pulumi-language-yaml",
        TOOLS_DIR / "pulumi-language-yaml",
        "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
    ),
)
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


def missing(bin_dir: Path, version: str) -> list[str]:
    """What ``bin_dir`` lacks of the toolchain at ``version`` (a CLI of another version
    counts as missing)."""
    names = [b.name for b in BINARIES] + list(HELPER_SCRIPTS)
    lacking = [name for name in names if not os.access(bin_dir / name, os.X_OK)]
    if "pulumi" not in lacking and cli_version(bin_dir / "pulumi") != version:
        lacking.insert(0, "pulumi")
    return lacking


def is_complete(bin_dir: Path, version: str) -> bool:
    """True when ``bin_dir`` holds the CLI at ``version`` and every language host."""
    return not missing(bin_dir, version)


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


def _go() -> str:
    go = shutil.which("go")
    if go is None:
        raise ToolchainError(
            "The Pulumi CLI or a language host is missing and Go is not available to build "
            "it. Install Go >= 1.26, or install the Pulumi CLI at exactly the SDK's version "
            "with the Python, Node.js and YAML language hosts beside it."
        )
    return go


def build(names: list[str], version: str, dest: Path) -> None:
    """Build ``names`` (binaries or helper scripts) with Go into ``dest``."""
    go = _go()
    env = {**os.environ, "GOFLAGS": "-buildvcs=false"}
    pinned = _go_module_version(CLI_MODULE_DIR, "github.com/pulumi/pulumi/pkg/v3")
    if "pulumi" in names and pinned != f"v{version}":
        raise ToolchainError(
            f"tools/pulumi-cli pins pulumi {pinned} but the Python SDK is {version}; "
            "keep them equal (edit tools/pulumi-cli/go.mod and run `go mod tidy`)."
        )
    for binary in BINARIES:
        if binary.name not in names:
            continue
        print(f"Building {binary.name} with Go (the CLI takes minutes)...", file=sys.stderr)
        flags = ["-ldflags", f"-X {VERSION_SYMBOL}=v{version}"] if binary.stamps_version else []
        target = dest / f".{binary.name}.partial"
        _run([go, "build", "-o", str(target), *flags, binary.package], binary.module_dir, env)
        target.rename(dest / binary.name)
    scripts = [name for name in HELPER_SCRIPTS if name in names]
    if scripts:
        sdk_dir = Path(_run([go, "list", "-m", "-f", "{{.Dir}}", SDK_MODULE], CLI_MODULE_DIR, env))
        for name in scripts:
            shutil.copyfile(sdk_dir / HELPER_SCRIPTS[name], dest / name)
            (dest / name).chmod(0o755)


def provision() -> Path:
    """Return a ``bin`` directory holding the whole toolchain, building what is missing."""
    version = sdk_version()
    bin_dir = install_root(version) / "bin"
    lacking = missing(bin_dir, version)
    if not lacking:
        return bin_dir
    on_path = shutil.which("pulumi")
    if on_path and is_complete(Path(on_path).resolve().parent, version):
        return Path(on_path).resolve().parent
    if "pulumi" in lacking and bin_dir.exists():
        # A CLI of another version: start afresh rather than mix versions.
        shutil.rmtree(bin_dir)
        lacking = missing(bin_dir, version)
    if bin_dir.exists():
        build(lacking, version, bin_dir)
    else:
        root = install_root(version)
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".build-", dir=root) as tmp:
            staging = Path(tmp) / "bin"
            staging.mkdir()
            build(lacking, version, staging)
            staging.rename(bin_dir)
    if not is_complete(bin_dir, version):
        raise ToolchainError(f"{bin_dir} still lacks {', '.join(missing(bin_dir, version))}")
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
