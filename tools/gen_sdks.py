"""Generate the TypeScript and Go SDKs (``sdk/nodejs``, ``sdk/go``) from the plugin's schema.

    .venv/bin/python tools/gen_sdks.py          # rewrite them
    .venv/bin/python tools/gen_sdks.py --check  # exit 1 naming what differs from the schema

The code generators are pkg/v3's own (the CLI's ``pulumi package gen-sdk`` asks the
language hosts, which cannot do it here), called by the Go program in ``tools/sdkgen``.
What is not generated stays: ``sdk/go/go.mod``/``go.sum`` and the TypeScript build output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from pulumi_azure_batch_jobs.provider._schema import package_schema
from pulumi_azure_batch_jobs.provider._server import DISTRIBUTION

REPO_ROOT = Path(__file__).resolve().parent.parent
SDK_DIR = REPO_ROOT / "sdk"
GENERATOR_DIR = REPO_ROOT / "tools" / "sdkgen"
LANGUAGES = ("nodejs", "go")
#: Files under ``sdk/`` the generator does not write (relative paths, or their first part).
NOT_GENERATED = {"go/go.mod", "go/go.sum", "nodejs/bin", "nodejs/node_modules"}


def _kept(relative: str) -> bool:
    parts = relative.split("/")
    return any("/".join(parts[:n]) in NOT_GENERATED for n in range(1, len(parts) + 1))


def files_under(root: Path) -> dict[str, bytes]:
    """Every generated file under ``root`` (an ``sdk/`` directory), by relative path."""
    found = {}
    for language in LANGUAGES:
        for path in sorted((root / language).rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and not _kept(relative):
                found[relative] = path.read_bytes()
    return found


def generate(out: Path) -> dict[str, bytes]:
    """Build the generator and write both SDKs under ``out``; what it wrote."""
    go = shutil.which("go")
    if go is None:
        raise SystemExit("error: Go >= 1.26 is needed to generate the SDKs")
    schema = out / "schema.json"
    schema.write_text(json.dumps(package_schema(version(DISTRIBUTION)), indent=2) + "\n")
    tool = out / "sdkgen"
    env = {**os.environ, "GOFLAGS": "-buildvcs=false"}
    subprocess.run([go, "build", "-o", str(tool), "."], cwd=GENERATOR_DIR, env=env, check=True)
    subprocess.run([str(tool), str(schema), str(out)], check=True)
    return files_under(out)


def differences(generated: dict[str, bytes], committed: dict[str, bytes]) -> list[str]:
    """Paths that are missing, extra or different in ``committed``."""
    paths = generated.keys() | committed.keys()
    return sorted(p for p in paths if generated.get(p) != committed.get(p))


def write(generated: dict[str, bytes]) -> None:
    """Make ``sdk/`` hold exactly ``generated`` (besides what is not generated)."""
    for relative in files_under(SDK_DIR).keys() - generated.keys():
        (SDK_DIR / relative).unlink()
    for relative, content in generated.items():
        path = SDK_DIR / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def main(argv: list[str]) -> int:
    check = argv == ["--check"]
    if argv and not check:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        generated = generate(Path(tmp))
    if not check:
        write(generated)
        return 0
    stale = differences(generated, files_under(SDK_DIR))
    for path in stale:
        print(f"sdk/{path} differs from what the schema generates", file=sys.stderr)
    if stale:
        print("regenerate with: .venv/bin/python tools/gen_sdks.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
