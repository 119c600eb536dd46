"""Upgrading a stack written by the dynamic-provider release (668e27d, 0.1) to the native
provider plugin keeps its jobs: `pulumi up` with the new code adopts each job (one with a
fixed id, one with a generated id) instead of replacing it, runs no Job Release task,
creates no other job and leaves no dynamic resource or pickled provider in the state.

The old release's code comes from git history, extracted in the test, and is put first on
``PYTHONPATH`` so the program and the dynamic provider host both import it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.core.exceptions import ResourceNotFoundError
from pulumi import automation as auto

from tests.e2e.test_batch_job_lifecycle import spec
from tests.e2e.test_batch_job_release import wait_for_tasks
from tests.support.emulator import EmulatorHandle
from tests.support.pulumi_stack import local_stack, resources_of_type, state_file

REPO_ROOT = Path(__file__).resolve().parents[2]
UPGRADE_PROGRAM = Path(__file__).parent / "programs" / "upgrade"
PROJECT = "batch-job-upgrade-e2e"
#: The last release whose BatchJob was a component around a Python dynamic resource.
OLD_RELEASE = "668e27d"
DYNAMIC_TYPE = "pulumi-python:dynamic/azure-batch-jobs:BatchJob"
NATIVE_TYPE = "azure-batch-jobs:index:BatchJob"
FIXED, GENERATED = "fixed", "generated"


def _state(value: Any) -> str:
    return str(getattr(value, "value", value))


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed: the old release cannot be taken from history")
    return subprocess.run([git, "-C", str(REPO_ROOT), *args], capture_output=True, check=False)  # noqa: S603


@pytest.fixture
def old_release(tmp_path: Path) -> Path:
    """The old release's package, extracted from git: the directory to put on PYTHONPATH."""
    if _git("cat-file", "-e", f"{OLD_RELEASE}^{{commit}}").returncode != 0:
        pytest.skip(f"commit {OLD_RELEASE} is not in this clone's history (a shallow clone?)")
    archive = tmp_path / "old-release.tar"
    made = _git("archive", f"--output={archive}", OLD_RELEASE, "components/pulumi_azure_batch_jobs")
    assert made.returncode == 0, made.stderr.decode()
    root = tmp_path / "old-release"
    with tarfile.open(archive) as tar:
        tar.extractall(root, filter="data")
    components = root / "components"
    assert (components / "pulumi_azure_batch_jobs" / "_component.py").is_file()
    return components


@dataclass
class Upgrade:
    """One stack of the upgrade program, driven by the old code or the new."""

    state_dir: Path
    config: dict[str, str]
    secrets: dict[str, str]
    old_code: Path

    def stack(self, *, old: bool) -> auto.Stack:
        extra_env = {}
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
        path = self.state_dir / "backend" / ".pulumi" / "stacks" / PROJECT / "test.json"
        return path.read_text()


def _jobs_spec(markers: Path) -> dict[str, dict[str, Any]]:
    release = f"echo $AZ_BATCH_NODE_ID >> {markers}/released-$AZ_BATCH_JOB_ID"
    common: dict[str, Any] = {
        "job_preparation_task": {"command_line": "/bin/sh -c 'echo prep'"},
        "job_release_task": {
            "command_line": f"/bin/sh -c '{release}'",
            "max_wall_clock_time": "PT1M",
        },
        "tasks": [{"id": f"t{i}", "command_line": "/bin/sh -c 'echo task'"} for i in range(2)],
    }
    fixed = spec("upgrade-fixed", **common)
    generated = spec("unused", **common)
    del generated["id"]
    return {FIXED: fixed, GENERATED: generated}


@pytest.fixture
def upgrade(tmp_path: Path, emulator: EmulatorHandle, old_release: Path) -> Iterator[Upgrade]:
    markers = tmp_path / "markers"
    markers.mkdir()
    config = {
        "jobs": json.dumps(_jobs_spec(markers)),
        "azure-batch-jobs:endpoint": emulator.endpoint,
        "azure-batch-jobs:accountName": emulator.account,
    }
    yield Upgrade(
        tmp_path / "pulumi",
        config,
        {"azure-batch-jobs:accountKey": emulator.key},
        old_release,
    )


def _all_jobs(batch: BatchClient) -> dict[str, str]:
    """Every job in the account: id -> creation time."""
    return {str(job.id): str(job.creation_time) for job in batch.list_jobs()}


def _release_ran(batch: BatchClient, job_id: str) -> list[str]:
    return [
        str(status.node_id)
        for status in batch.list_job_preparation_and_release_task_status(job_id)
        if status.job_release_task_execution_info is not None
    ]


def test_up_with_the_native_provider_keeps_the_jobs_of_a_dynamic_provider_stack(
    upgrade: Upgrade, batch: BatchClient, tmp_path: Path
) -> None:
    markers = tmp_path / "markers"
    # 1. The old release deploys both jobs through its dynamic provider.
    old = upgrade.stack(old=True)
    old.up(on_output=print)
    state = upgrade.state()
    dynamic = resources_of_type(state, DYNAMIC_TYPE)
    assert sorted(r["urn"].rsplit("::", 1)[-1] for r in dynamic) == [FIXED, GENERATED]
    assert all("__provider" in r["outputs"] for r in dynamic)
    job_ids = {r["urn"].rsplit("::", 1)[-1]: str(r["id"]) for r in dynamic}
    assert job_ids[FIXED] == "upgrade-fixed"
    assert job_ids[GENERATED].startswith(f"{GENERATED}-")
    for job_id in job_ids.values():
        wait_for_tasks(batch, job_id)
    before = _all_jobs(batch)
    created = {name: before[job_id] for name, job_id in job_ids.items()}
    print(job_ids, created, before)

    # 2. The new release: preview, then up, on the same stack and program.
    new = upgrade.stack(old=False)
    events: list[auto.EngineEvent] = []
    preview = new.preview(on_event=events.append)
    print(preview.stdout)
    print(preview.change_summary)
    up = new.up(on_output=print)
    print(up.summary.resource_changes)

    after = _all_jobs(batch)
    print(after)
    assert after == before
    for name, job_id in job_ids.items():
        job = batch.get_job(job_id)
        assert str(job.creation_time) == created[name]
        assert _release_ran(batch, job_id) == []
    assert list(markers.iterdir()) == []

    state = upgrade.state()
    assert resources_of_type(state, DYNAMIC_TYPE) == []
    native = resources_of_type(state, NATIVE_TYPE)
    print(json.dumps(native, indent=1))
    assert "__provider" not in upgrade.state_text()

    again = new.preview()
    print(again.stdout)
    assert set(again.change_summary) == {"same"}

    # 3. Destroy with the new code deletes the jobs, running their release tasks.
    new.destroy()
    for job_id in job_ids.values():
        with pytest.raises(ResourceNotFoundError):
            batch.get_job(job_id)
