"""Hypothesis-generated invalid argument sets through the real CLI: ``pulumi preview``
of a stack declaring a broken job (drawn from ``broken_jobs``, each with another broken
rule; and a Job Manager Task racing initial tasks) fails with a non-zero exit, names
the broken field path, shows no Python traceback and sends nothing to Batch."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle
from tests.support.pulumi_stack import local_stack
from tests.support.reliability import record

sys.path.insert(0, str(Path(__file__).parent.parent / "unit"))
from pulumi_azure_batch_jobs.provider._wire import wire_path
from tests.support.broken_jobs import broken_jobs
from tests.support.job_args import to_json_value

PROGRAM = Path(__file__).parent / "programs" / "job_list"
DRAWN = 6
#: A Job Manager Task that ends the job (kill_job_on_completion unset: true) and
#: initial tasks: refused at plan time (the job could complete before they are added).
MANAGER_RACE = (
    {
        "id": "manager-race",
        "pool_info": {"pool_id": "default"},
        "job_manager_task": {"id": "manager", "command_line": "/bin/true"},
        "tasks": [{"id": "t0", "command_line": "/bin/true"}],
    },
    "job_manager_task.kill_job_on_completion",
    "manager_race",
)


def _preview(stack: auto.Stack) -> tuple[bool, str]:
    """(failed, everything the CLI printed)."""
    try:
        result = stack.preview()
    except auto.CommandError as failure:
        return True, str(failure)
    return False, result.stdout + result.stderr


def test_invalid_generated_jobs_fail_preview_with_their_paths_and_no_request(
    tmp_path: Path, instant_emulator: EmulatorHandle
) -> None:
    emulator = instant_emulator
    previews: list[str] = []
    stack = local_stack(
        PROGRAM,
        tmp_path / "pulumi",
        config={
            "jobs": "[]",
            "azure-batch-jobs:endpoint": emulator.endpoint,
            "azure-batch-jobs:accountName": emulator.account,
        },
        secrets={"azure-batch-jobs:accountKey": emulator.key},
    )

    @settings(
        max_examples=1,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # each example is a real preview: no shrinking runs
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(broken_jobs(), min_size=DRAWN, max_size=DRAWN, unique_by=lambda c: c[2]))
    def run(drawn: list[tuple[dict[str, Any], str, str]]) -> None:
        # The engine stops a preview at the first resource whose check fails: one
        # preview per broken job, on one stack whose config holds that job.
        for job, path, name in [*drawn, MANAGER_RACE]:
            stack.set_config("jobs", auto.ConfigValue(json.dumps([to_json_value(job)])))
            emulator.reset_stats()
            failed, output = _preview(stack)
            assert failed, (name, output[-4000:])
            # The plugin names the path as the schema does, whatever the program's language.
            assert f"{wire_path(path)}: " in output, (name, path, output[-4000:])
            assert "Traceback" not in output, name
            assert emulator.stats()["total"] == 0, f"preview of {name} sent a request"
            previews.append(name)

    run()
    assert len(previews) == DRAWN + 1
    assert "manager_race" in previews
    record("cli_generated_arguments", previews=len(previews), rules=previews, tracebacks=0)
