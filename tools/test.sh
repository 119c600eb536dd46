#!/usr/bin/env bash
# Quality gates, then the test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "== ruff check" && .venv/bin/ruff check .
echo "== ruff format --check" && .venv/bin/ruff format --check .
echo "== mypy --strict" && .venv/bin/mypy --strict \
  components/pulumi_azure_batch_jobs emulator/batch_emulator emulator/scripts \
  tools/*.py
echo "== mypy --strict bench" && MYPYPATH=bench/stacklib:tools:. .venv/bin/mypy --strict \
  bench/*.py bench/stacklib/*.py
echo "== mypy --strict tests" && MYPYPATH=tools .venv/bin/mypy --strict --explicit-package-bases \
  tests
# Each program is a __main__ module of its own: one mypy run per program.
for program in __main__.py bench/programs/*/__main__.py examples/*/__main__.py \
  tests/*/programs/*/__main__.py; do
  MYPYPATH=bench/stacklib .venv/bin/mypy --strict "$program" >/dev/null \
    || { MYPYPATH=bench/stacklib .venv/bin/mypy --strict "$program"; exit 1; }
done
echo "== pytest"
status=0
.venv/bin/pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  if [ $# -gt 0 ]; then
    echo "pytest: no test matched the given selection" >&2
    exit 0
  fi
  echo "error: pytest collected no tests; the suite must not be empty" >&2
  exit 1
fi
exit "$status"
