#!/usr/bin/env bash
# Set up everything the demo and the tests need, idempotently: the virtualenv with both
# packages (editable) and the dev tools at the versions of constraints.txt (the tested ones;
# the distributions themselves declare ranges), the seed SDK for differential tests, the
# real Azure CLI in a virtualenv of its own, the packaging tests' wheelhouse, and the real
# Pulumi CLI at the version of the pinned SDK.
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
# Both packages' bytecode, as pip writes it when it installs a wheel: every program, plugin
# and emulator process imports them, and where PYTHONDONTWRITEBYTECODE is set an editable
# install would otherwise be compiled from source in each one. Quick when it is current.
.venv/bin/python -m compileall -q components/pulumi_azure_batch_jobs emulator/batch_emulator >/dev/null
# The Azure CLI (tests/integration/test_az_cli_files.py) pins its own azure-batch and
# azure-core: a virtualenv of its own, so .venv keeps exactly the versions of constraints.txt.
az_stamp="$(sha256sum tools/az-cli-requirements.txt | cut -d' ' -f1)"
if [ "$(cat .venv/az-cli/.bootstrap-stamp 2>/dev/null)" != "$az_stamp" ]; then
  echo "Installing the Azure CLI into .venv/az-cli ..." >&2
  rm -rf .venv/az-cli
  "$PYTHON" -m venv .venv/az-cli
  .venv/az-cli/bin/python -m pip install -q -r tools/az-cli-requirements.txt
  echo "$az_stamp" > .venv/az-cli/.bootstrap-stamp
fi
.venv/bin/python tools/wheelhouse.py >/dev/null

.venv/bin/python tools/pulumi_toolchain.py >/dev/null

# Node.js: the TypeScript programs' dependencies from the lockfile, and the TypeScript SDK
# built (sdk/nodejs/bin, linked as node_modules/azure-batch-jobs-pulumi) and packed
# (build/azure-batch-jobs-pulumi-<version>.tgz, what a user's own project installs).
if ! command -v npm >/dev/null 2>&1; then
  echo "error: Node.js >= 20 with npm is required (the TypeScript SDK and examples)" >&2
  exit 1
fi
node_stamp="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat node_modules/.bootstrap-stamp 2>/dev/null)" != "$node_stamp" ]; then
  echo "Installing Node.js dependencies into node_modules ..." >&2
  # --loglevel=error: @pulumi/pulumi 3.260 declares node >= 22; it is tested here on 20.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$node_stamp" > node_modules/.bootstrap-stamp
fi
sdk_stamp="$(find sdk/nodejs -path sdk/nodejs/bin -prune -o -type f -print | sort | xargs cat | sha256sum | cut -d' ' -f1)"
if [ "$(cat sdk/nodejs/bin/.bootstrap-stamp 2>/dev/null)" != "$sdk_stamp" ]; then
  echo "Building the TypeScript SDK ..." >&2
  rm -rf sdk/nodejs/bin
  node_modules/.bin/tsc -p sdk/nodejs
  cp sdk/nodejs/package.json sdk/nodejs/README.md sdk/nodejs/bin/
  mkdir -p build
  npm pack ./sdk/nodejs/bin --pack-destination build --loglevel=error >/dev/null
  echo "$sdk_stamp" > sdk/nodejs/bin/.bootstrap-stamp
fi
ln -sfn ../sdk/nodejs/bin node_modules/azure-batch-jobs-pulumi
