"""A pool change (disable -> patch -> enable) whose Disable Job and Enable Job responses
are lost after the service applied them still converges: azure-core retries the POST,
the retry meets a job already disabled (or already enabled again) and answers 409, and
the component counts that as done."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from azure.batch.models import BatchJobDisableOptions, BatchPoolCreateOptions
from pulumi import automation as auto

from batch_emulator.faults import FaultConfig, FaultInjector
from batch_emulator.testing import EmulatorHandle
from tests.support.job_stacks import BATCH_JOB_PROGRAM
from tests.support.pulumi_stack import local_stack
from tests.support.reliability import batch_client, faults_snapshot, record

JOB_TYPE = "azure-batch-jobs:index:BatchJob"
OPS = ("Jobs_DisableJob", "Jobs_EnableJob")
#: First attempt of each lost (applied, then the connection reset), the retry answered.
WANTED = ["reset-after", None, "reset-after", None]


def _seed_losing_each_first_attempt() -> int:
    """A fault seed whose decisions for disable, its retry, enable, its retry are WANTED
    (the emulator draws with the same injector class, one decision per request of OPS)."""
    for seed in range(10_000):
        injector = FaultInjector(
            FaultConfig(rate=0.5, kinds=("reset-after",), ops=frozenset(OPS), seed=seed)
        )
        if [injector.choose(op) for op in (OPS[0], OPS[0], OPS[1], OPS[1])] == WANTED:
            return seed
    raise AssertionError("no seed gives the wanted fault sequence")


def _spec(pool_id: str) -> dict[str, Any]:
    return {
        "id": "pool-mover",
        "pool_info": {"pool_id": pool_id},
        "priority": 5,
        "job_preparation_task": {"command_line": "/bin/true"},
        "job_release_task": {"command_line": "/bin/true"},
        "tasks": [{"id": f"t{i}", "command_line": "/bin/true"} for i in range(2)],
    }


def _statuses(emulator: EmulatorHandle, operation: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for row in emulator.stats()["operations"]:
        if row["operation"] == operation:
            counts[row["status"]] = counts.get(row["status"], 0) + row["count"]
    return counts


def _job_outputs(stack: auto.Stack) -> dict[str, Any]:
    resources = (stack.export_stack().deployment or {}).get("resources") or []
    (job,) = [r for r in resources if r.get("type") == JOB_TYPE]
    outputs: dict[str, Any] = job["outputs"]
    return outputs


def _stack_on_default_pool(tmp_path: Path, emulator: EmulatorHandle) -> auto.Stack:
    """The job, up on pool ``default``; a pool ``second`` to move it to."""
    batch_client(emulator).create_pool(
        BatchPoolCreateOptions(
            id="second", vm_size="standard_d2s_v3", target_dedicated_nodes=1, task_slots_per_node=1
        )
    )
    stack = local_stack(
        BATCH_JOB_PROGRAM,
        tmp_path / "pulumi",
        config={
            "job": json.dumps(_spec("default")),
            "settings": "{}",
            "azure-batch-jobs:endpoint": emulator.endpoint,
            "azure-batch-jobs:accountName": emulator.account,
        },
        secrets={"azure-batch-jobs:accountKey": emulator.key},
    )
    stack.up()
    return stack


def test_pool_change_converges_when_disable_and_enable_responses_are_lost(
    tmp_path: Path, instant_emulator: EmulatorHandle
) -> None:
    emulator = instant_emulator
    client = batch_client(emulator)
    stack = _stack_on_default_pool(tmp_path, emulator)
    created = client.get_job("pool-mover").creation_time

    stack.set_config("job", auto.ConfigValue(json.dumps(_spec("second"))))
    seed = _seed_losing_each_first_attempt()
    emulator.reset_stats()
    emulator.set_faults(rate=0.5, kinds=["reset-after"], ops=list(OPS), seed=seed)
    started = time.monotonic()
    up = stack.up()
    up_seconds = time.monotonic() - started
    faults = faults_snapshot(emulator)
    emulator.set_faults(rate=0)
    disables, enables = _statuses(emulator, OPS[0]), _statuses(emulator, OPS[1])

    assert up.summary.result == "succeeded"
    assert up.summary.resource_changes == {"same": 1, "update": 1}
    lost = {(row["operation"], row["kind"]): row["count"] for row in faults["by_operation"]}
    assert lost == {(OPS[0], "reset-after"): 1, (OPS[1], "reset-after"): 1}, faults
    # The retries reached the service, which had applied the first attempts: 409.
    assert disables.get(409) == 1 and enables.get(409) == 1, (disables, enables)

    job = client.get_job("pool-mover")
    assert job.pool_info.pool_id == "second"
    assert str(getattr(job.state, "value", job.state)) == "active", "enabled again"
    assert job.creation_time == created, "the same job, not a replacement"
    outputs = _job_outputs(stack)
    assert outputs["poolInfo"] == {"poolId": "second"}
    assert outputs["state"] == "active"

    # After a refresh the state matches the service: nothing left to do.
    stack.refresh()
    assert _job_outputs(stack)["state"] == "active"
    assert _job_outputs(stack)["poolInfo"] == {"poolId": "second"}
    preview = stack.preview()
    assert set(preview.change_summary) == {"same"}, preview.change_summary
    stack.destroy()

    record(
        "pool_change_lost_responses",
        seed=seed,
        faults_injected=faults["injected"],
        disable_statuses=disables,
        enable_statuses=enables,
        up_seconds=round(up_seconds, 1),
        converged=True,
    )


def test_pool_change_interrupted_after_disable_converges_on_the_next_up(
    tmp_path: Path, instant_emulator: EmulatorHandle
) -> None:
    """A pool change interrupted after its Disable Job was applied (the up killed, or
    every retry of the next request lost) leaves the job disabled on its old pool. The
    next up runs the pool change again; its Disable Job meets the disabled job (409),
    which counts as done. (The job is disabled here by the test's own client: the
    service-side state such an interruption leaves, without minutes of retry back-off.)"""
    emulator = instant_emulator
    client = batch_client(emulator)
    stack = _stack_on_default_pool(tmp_path, emulator)
    stack.set_config("job", auto.ConfigValue(json.dumps(_spec("second"))))
    client.begin_disable_job(
        "pool-mover", BatchJobDisableOptions(disable_tasks="requeue"), polling_interval=1
    ).result()
    stranded = client.get_job("pool-mover")
    assert str(getattr(stranded.state, "value", stranded.state)) == "disabled"

    emulator.reset_stats()
    up = stack.up()
    assert up.summary.resource_changes == {"same": 1, "update": 1}
    assert _statuses(emulator, OPS[0]) == {409: 1}, "the disable met the disabled job"
    assert _statuses(emulator, OPS[1]) == {202: 1}
    job = client.get_job("pool-mover")
    assert job.pool_info.pool_id == "second"
    assert str(getattr(job.state, "value", job.state)) == "active"
    stack.refresh()
    assert set(stack.preview().change_summary) == {"same"}
    assert _job_outputs(stack)["state"] == "active"
    stack.destroy()
    record("pool_change_after_interrupted_disable", converged=True)
