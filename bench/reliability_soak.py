"""Run the reliability suite and keep its figures for run-to-run comparison.

    .venv/bin/python bench/reliability_soak.py            # soak: 50 jobs, 20 kill points
    .venv/bin/python bench/reliability_soak.py --quick    # the default (CI) sizes
    .venv/bin/python bench/reliability_soak.py --publish  # soak, and keep its figures

Figures (faults injected, requests, duplicates, orphans, lost jobs, recoveries, inputs
tried) go to ``bench/results/reliability[_soak].json`` and are printed at the end; with
``--publish`` a passing soak's figures are also copied to ``bench/reliability_soak.json``
(committed, for comparison run to run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the default suite's sizes")
    parser.add_argument(
        "--publish", action="store_true", help="copy a passing soak's figures into bench/"
    )
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments")
    args = parser.parse_args()
    name = "reliability.json" if args.quick else "reliability_soak.json"
    results = ROOT / "bench" / "results"  # git-ignored: absent on a clean clone
    results.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["RELIABILITY_REPORT"] = str(results / name)
    if not args.quick:
        env["RELIABILITY_SOAK"] = "1"
    command = [sys.executable, "-m", "pytest", "tests/reliability", "-q", "-p", "no:cacheprovider"]
    code = subprocess.call([*command, *args.pytest_args], cwd=ROOT, env=env)
    if code == 0 and args.publish and not args.quick:
        shutil.copyfile(env["RELIABILITY_REPORT"], ROOT / "bench" / name)
    return code


if __name__ == "__main__":
    sys.exit(main())
