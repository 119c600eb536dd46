"""The one place that says how Pulumi runs here: offline, local backend, the project venv.

Tests, the demo and the README's instructions all take their environment from
:func:`pulumi_environment`, so no run ever reaches for the network: a local file
backend in a directory the caller chooses, passphrase secrets, no update check, no
plugin acquisition, and the program's virtualenv active (the Python language host
built here ignores ``runtime.options.virtualenv``, so ``VIRTUAL_ENV`` and ``PATH``
must point at it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pulumi.automation import PulumiCommand

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VENV = REPO_ROOT / ".venv"

# Encrypts secrets of throwaway local stacks only; never a real credential.
LOCAL_PASSPHRASE = "local-only-passphrase"  # noqa: S105

OFFLINE_SETTINGS = {
    "PULUMI_SKIP_UPDATE_CHECK": "true",
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
    "PULUMI_SKIP_CONFIRMATIONS": "true",
    "PULUMI_DIY_BACKEND_NO_LEGACY_WARNING": "true",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_NO_INPUT": "1",
}


def current_venv() -> Path:
    """The virtualenv of the running interpreter, else the project's ``.venv``."""
    if sys.prefix != sys.base_prefix:
        return Path(sys.prefix)
    return DEFAULT_VENV


def pulumi_bin_dir() -> Path:
    """Where the provisioned CLI lives (see ``pulumi_toolchain``); not built here."""
    from pulumi_toolchain import install_root, sdk_version

    return install_root(sdk_version()) / "bin"


def pulumi_environment(
    state_dir: Path,
    *,
    passphrase: str = LOCAL_PASSPHRASE,
    venv: Path | None = None,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Environment for running the real CLI offline against a file backend in ``state_dir``.

    ``PULUMI_HOME`` lives under ``state_dir`` too, so runs share nothing with the
    user's own Pulumi set-up and leave nothing behind outside it.
    """
    venv = venv or current_venv()
    env = dict(os.environ if base is None else base)
    (state_dir / "backend").mkdir(parents=True, exist_ok=True)
    (state_dir / "home").mkdir(parents=True, exist_ok=True)
    env.update(OFFLINE_SETTINGS)
    env["PULUMI_BACKEND_URL"] = (state_dir / "backend").as_uri()
    env["PULUMI_HOME"] = str(state_dir / "home")
    env["PULUMI_CONFIG_PASSPHRASE"] = passphrase
    env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)
    env.pop("PULUMI_ACCESS_TOKEN", None)
    env["VIRTUAL_ENV"] = str(venv)
    path = [str(venv / "bin"), str(pulumi_bin_dir())]
    env["PATH"] = os.pathsep.join([*path, env.get("PATH", "")])
    env.pop("PYTHONHOME", None)
    return env


#: The provider plugin's name: the engine runs ``<dir>/pulumi-resource-azure-batch-jobs``.
PLUGIN_NAME = "azure-batch-jobs"


def with_local_plugin(
    project_yaml: str, plugin_dir: Path, others: Mapping[str, Path] | None = None
) -> str:
    """A ``Pulumi.yaml`` text whose ``plugins:`` block points the engine at the provider
    plugin installed in ``plugin_dir`` (a virtualenv's ``bin``), and at each of ``others``
    (name: directory), replacing any block it had: a program copied elsewhere keeps finding
    its plugins, with no download and no warning."""
    lines = project_yaml.splitlines()
    kept: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("plugins:"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    block = ["plugins:", "  providers:"]
    for name, directory in {PLUGIN_NAME: plugin_dir, **(others or {})}.items():
        block += [f"    - name: {name}", f"      path: {directory}"]
    return "\n".join([*kept, *block]) + "\n"


def pulumi_command() -> PulumiCommand:
    """A ``PulumiCommand`` for the provisioned CLI, for the Automation API."""
    from pulumi.automation import PulumiCommand

    from pulumi_toolchain import install_root, sdk_version

    return PulumiCommand(root=str(install_root(sdk_version())))


def main(argv: list[str]) -> int:
    """``--shell DIR``: print ``export`` lines for a shell to ``eval``."""
    import shlex

    if len(argv) != 2 or argv[0] != "--shell":
        print("usage: pulumi_env.py --shell STATE_DIR", file=sys.stderr)
        return 2
    env = pulumi_environment(Path(argv[1]).resolve(), base={"PATH": os.environ.get("PATH", "")})
    for key, value in sorted(env.items()):
        print(f"export {key}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
