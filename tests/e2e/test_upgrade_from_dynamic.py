"""Upgrading a stack written by the last dynamic-provider release (668e27d) to the native
provider plugin is zero-step: `pulumi up` with the new code keeps each job (its create finds
the job by its create marker, stamps and adopts it; the old dynamic resource's delete then
leaves it alone), runs no Job Release task, creates no other job and leaves no dynamic
resource or pickled provider in the state; `pulumi destroy` afterwards deletes the jobs.

The old release's package comes from git history, extracted by the test, and is put first on
``PYTHONPATH`` so that the program and the dynamic provider host both import it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.core.exceptions import ResourceNotFoundError
from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle
from tests.support.job_stacks import spec, wait_for_tasks
from tests.support.pulumi_stack import local_stack, resources_of_type, state_file

REPO_ROOT = Path(__file__).resolve().parents[2]
UPGRADE_PROGRAM = Path(__file__).parent / "programs" / "upgrade"
PROJECT = "batch-job-upgrade-e2e"
#: The last release whose BatchJob was a component around a Python dynamic resource.
OLD_RELEASE = "668e27d"
OLD_PACKAGE = "components/pulumi_azure_batch_jobs"
DYNAMIC_TYPE = "pulumi-python:dynamic/azure-batch-jobs:BatchJob"
NATIVE_TYPE = "azure-batch-jobs:index:BatchJob"
PROVIDERS = "pulumi:providers:"
CREATE_MARKER = "pulumi-azure-batch-jobs-create-id"
MANAGED_BY = ("pulumi-azure-batch-jobs-provider", "native")
FIXED_JOB_ID = "upgrade-fixed"


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed: the old release cannot be taken from its history")
    return subprocess.run([git, "-C", str(REPO_ROOT), *args], capture_output=True, check=False)


@pytest.fixture
def old_release(tmp_path: Path) -> Path:
    """The old release's package, extracted from git: the directory to put on PYTHONPATH."""
    if _git("cat-file", "-e", f"{OLD_RELEASE}^{{commit}}").returncode != 0:
        pytest.skip(f"commit {OLD_RELEASE} is not in this clone's history (a shallow clone?)")
    archive = tmp_path / "old-release.tar"
    made = _git("archive", f"--output={archive}", OLD_RELEASE, OLD_PACKAGE)
    assert made.returncode == 0, made.stderr.decode()
    root = tmp_path / "old-release"
    with tarfile.open(archive) as tar:
        tar.extractall(root, filter="data")
    components = root / "components"
    assert (components / "pulumi_azure_batch_jobs" / "_component.py").is_file()
    return components


@dataclass
class UpgradeStack:
    """The one stack of the upgrade program, run by the old code or by the new."""

    state_dir: Path
    config: dict[str, str]
    secrets: dict[str, str]
    old_code: Path

    def stack(self, *, old: bool) -> auto.Stack:
        extra_env: dict[str, str] = {}
        if old:
            path = [str(self.old_code), os.environ.get("PYTHONPATH", "")]
            extra_env["PYTHONPATH"] = os.pathsep.join(p for p in path if p)
        return local_stack(
            UPGRADE_PROGRAM,
            self.state_dir,
            config=self.config,
            secrets=self.secrets,
            extra_env=extra_env,
        )

    def state(self) -> dict[str, Any]:
        return state_file(self.state_dir, PROJECT)

    def state_text(self) -> str:
        """The current checkpoint's bytes (its backups still hold the old state)."""
        path = self.state_dir / "backend" / ".pulumi" / "stacks" / PROJECT / "test.json"
        return path.read_text()


def _job_spec(markers: Path, job_id: str | None) -> dict[str, Any]:
    release = f"echo $AZ_BATCH_NODE_ID >> {markers}/released-$AZ_BATCH_JOB_ID"
    job = spec(
        job_id or "",
        job_preparation_task={"command_line": "/bin/sh -c 'echo prep'"},
        job_release_task={"command_line": f"/bin/sh -c '{release}'", "max_wall_clock_time": "PT1M"},
        tasks=[{"id": f"t{i}", "command_line": "/bin/sh -c 'echo task'"} for i in range(2)],
    )
    if job_id is None:
        del job["id"]
    return job


def _name(resource: dict[str, Any]) -> str:
    return str(resource["urn"]).rsplit("::", 1)[-1]


def _all_jobs(batch: BatchClient) -> dict[str, str]:
    """Every job in the account: id -> creation time."""
    return {str(job.id): str(job.creation_time) for job in batch.list_jobs()}


def _metadata(batch: BatchClient, job_id: str) -> dict[str, str]:
    return {str(m.name): str(m.value) for m in batch.get_job(job_id).metadata or []}


def _released_on(batch: BatchClient, job_id: str) -> list[str]:
    """Nodes where the job's release task has run (or is running)."""
    return [
        str(status.node_id)
        for status in batch.list_job_preparation_and_release_task_status(job_id)
        if status.job_release_task_execution_info is not None
    ]


def _steps(events: list[auto.EngineEvent]) -> dict[tuple[str, str], list[auto.OpType]]:
    """The operations a run announced, per resource (type, name), providers left out."""
    steps: dict[tuple[str, str], list[auto.OpType]] = defaultdict(list)
    for event in events:
        if event.resource_pre_event is not None:
            step = event.resource_pre_event.metadata
            if not step.type.startswith(PROVIDERS):
                steps[step.type, step.urn.rsplit("::", 1)[-1]].append(step.op)
    return dict(steps)


@pytest.mark.parametrize("declared_id", [FIXED_JOB_ID, None], ids=["fixed-id", "generated-id"])
def test_up_with_the_native_provider_keeps_the_jobs_of_a_dynamic_provider_stack(
    declared_id: str | None,
    tmp_path: Path,
    emulator: EmulatorHandle,
    batch: BatchClient,
    old_release: Path,
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    upgrade = UpgradeStack(
        tmp_path / "pulumi",
        {
            "jobs": json.dumps({"job": _job_spec(markers, declared_id)}),
            "azure-batch-jobs:endpoint": emulator.endpoint,
            "azure-batch-jobs:accountName": emulator.account,
        },
        {"azure-batch-jobs:accountKey": emulator.key},
        old_release,
    )

    # The old release deploys the job through its dynamic provider.
    upgrade.stack(old=True).up()
    [dynamic] = resources_of_type(upgrade.state(), DYNAMIC_TYPE)
    assert _name(dynamic) == "job"
    assert "__provider" in dynamic["outputs"]
    job_id = str(dynamic["id"])
    if declared_id:
        assert job_id == declared_id
    else:
        assert job_id.startswith("job-")
    wait_for_tasks(batch, job_id)  # so the preparation task ran: a delete would release
    assert CREATE_MARKER in _metadata(batch, job_id)
    assert MANAGED_BY[0] not in _metadata(batch, job_id)
    before = _all_jobs(batch)
    assert job_id in before

    # The new release's preview: the component gives way to the provider's resource of the
    # same URN (a replace), the dynamic resource goes; no request changes anything.
    new = upgrade.stack(old=False)
    events: list[auto.EngineEvent] = []
    emulator.reset_stats()
    preview = new.preview(on_event=events.append)
    assert emulator.stats()["writes"] == 0
    assert preview.change_summary == {"same": 1, "replace": 1, "delete": 1}, preview.stdout
    assert _steps(events) == {
        ("pulumi:pulumi:Stack", f"{PROJECT}-test"): [auto.OpType.SAME],
        (NATIVE_TYPE, "job"): [
            auto.OpType.CREATE_REPLACEMENT,
            auto.OpType.REPLACE,
            auto.OpType.DELETE_REPLACED,
        ],
        (DYNAMIC_TYPE, "job"): [auto.OpType.DELETE],
    }
    # Replaced because the component had no provider; the old one has no id, so no
    # provider's delete runs for it.
    [replace] = [
        e.resource_pre_event.metadata
        for e in events
        if e.resource_pre_event is not None
        and e.resource_pre_event.metadata.op == auto.OpType.REPLACE
    ]
    assert replace.keys == ["provider"]
    assert replace.old is not None and not replace.old.custom and not replace.old.id
    assert replace.new is not None and replace.new.custom

    up = new.up()
    assert up.summary.resource_changes == {"same": 1, "replace": 1, "delete": 1}, up.stdout

    # The same job, not re-created and not released, and no other job.
    assert _all_jobs(batch) == before, up.stdout
    # "native", or "native:<owner>" naming the resource instance that took the job over.
    stamp = _metadata(batch, job_id).get(MANAGED_BY[0], "")
    assert stamp.partition(":")[0] == MANAGED_BY[1], stamp
    assert _released_on(batch, job_id) == [], up.stdout
    assert list(markers.iterdir()) == []

    # The state: one resource of the provider, by the job's id; nothing dynamic left.
    state = upgrade.state()
    assert resources_of_type(state, DYNAMIC_TYPE) == []
    assert resources_of_type(state, f"{PROVIDERS}pulumi-python") == []
    [native] = resources_of_type(state, NATIVE_TYPE)
    assert native["custom"]
    assert native["id"] == native["outputs"]["jobId"] == job_id
    assert "__provider" not in upgrade.state_text()

    # Nothing left to do.
    again = new.preview()
    assert set(again.change_summary) == {"same"}, again.stdout

    # Destroy with the new code deletes the job, its release task running first.
    new.destroy()
    with pytest.raises(ResourceNotFoundError):
        batch.get_job(job_id)
    assert [p.name for p in markers.iterdir()] == [f"released-{job_id}"]
