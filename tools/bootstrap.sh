#!/usr/bin/env bash
# Set up everything the demo and the tests need, idempotently: the virtualenv with both
# packages (editable) and the dev tools at pinned versions, the seed SDK for differential
# tests, and the real Pulumi CLI at the version of the pinned Python SDK.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: Python >= 3.11 is required (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

inputs=(pyproject.toml emulator/pyproject.toml constraints.txt tools/seed-sdk-requirements.txt)
stamp="$(cat "${inputs[@]}" 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [ "$(cat .venv/.bootstrap-stamp 2>/dev/null)" != "$stamp" ]; then
  echo "Installing Python dependencies into .venv ..." >&2
  .venv/bin/python -m pip install -q -c constraints.txt -e '.[dev]' -e ./emulator
  if [ -f tools/seed-sdk-requirements.txt ]; then
    rm -rf .venv/seed-sdk
    .venv/bin/python -m pip install -q --no-deps --target .venv/seed-sdk \
      -r tools/seed-sdk-requirements.txt
  fi
  echo "$stamp" > .venv/.bootstrap-stamp
fi

.venv/bin/python tools/pulumi_toolchain.py >/dev/null
