"""Every stack under ``examples/`` through the real CLI against the real emulator.

Examples for real Azure run the same program against the emulator: the shared-key one
with the account in stack config (key as a secret), the Entra ID one over HTTPS with
azure-identity's ``DefaultAzureCredential`` getting a token from the emulator's token
authority. The ``pulumi-azure-native`` one is previewed with an existing pool id (its
provider plugin cannot be fetched here) and type-checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.core.credentials import AzureNamedKeyCredential
from azure.core.exceptions import ResourceNotFoundError
from pulumi import automation as auto

from batch_emulator.testing import READY_PREFIX, EmulatorHandle, start_emulator
from pulumi_azure_batch_jobs import job_spec_from_args, load_job_spec
from tests.support.pulumi_stack import NO_ACCOUNT_ENV, local_stack, state_file

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"
TESTED = {
    "quickstart",
    "container-release-task",
    "migrate-az-job-spec",
    "azure-shared-key",
    "azure-entra-id",
    "azure-native-pool",
    "nightly-schedule",
}
AZURE_NATIVE_VENV = REPO_ROOT / ".pulumi-work" / "azure-native-venv"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorHandle]:
    with start_emulator(tls=True, nodes=2, slots=2) as handle:
        yield handle


@pytest.fixture(scope="module")
def batch(emulator: EmulatorHandle) -> BatchClient:
    return BatchClient(emulator.endpoint, AzureNamedKeyCredential(emulator.account, emulator.key))


def example_stack(
    name: str,
    tmp_path: Path,
    *,
    env: Mapping[str, str],
    config: Mapping[str, str] | None = None,
    secrets: Mapping[str, str] | None = None,
) -> auto.Stack:
    return local_stack(
        EXAMPLES / name,
        tmp_path / "pulumi",
        config=config,
        secrets=secrets,
        extra_env={**NO_ACCOUNT_ENV, **env},
    )


def node_root(emulator: EmulatorHandle) -> Path:
    """Where the emulator keeps its nodes' directories (from its readiness line)."""
    [ready] = [line for line in emulator.output if line.startswith(READY_PREFIX)]
    return Path(json.loads(ready[len(READY_PREFIX) :])["node_root"])


def wait_for_tasks(batch: BatchClient, job_id: str, timeout: float = 60.0) -> None:
    """Poll until every task of the job has completed with exit code 0."""
    deadline = time.monotonic() + timeout
    while True:
        tasks = list(batch.list_tasks(job_id))
        if tasks and all(t.state == "completed" for t in tasks):
            assert all(t.execution_info and t.execution_info.exit_code == 0 for t in tasks)
            return
        assert time.monotonic() < deadline, [(t.id, t.state) for t in tasks]
        time.sleep(0.2)


def assert_gone(batch: BatchClient, job_id: str) -> None:
    with pytest.raises(ResourceNotFoundError):
        batch.get_job(job_id)


#: Programs in other languages, run by ``test_language_examples.py``: their program files.
OTHER_LANGUAGES = {
    "yaml-quickstart": ("Pulumi.yaml",),
    "typescript-quickstart": ("index.ts", "package.json", "tsconfig.json"),
    "typescript-migrate-az-job-spec": ("index.ts", "package.json", "tsconfig.json", "job.json"),
}


def test_every_example_is_a_complete_stack_and_is_tested() -> None:
    found = {p.name for p in EXAMPLES.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert found == TESTED | OTHER_LANGUAGES.keys()
    for name in found:
        for required in ("Pulumi.yaml", "README.md", *OTHER_LANGUAGES.get(name, ("__main__.py",))):
            assert (EXAMPLES / name / required).is_file(), f"examples/{name}/{required}"


def test_quickstart(tmp_path: Path, emulator: EmulatorHandle, batch: BatchClient) -> None:
    stack = example_stack("quickstart", tmp_path, env=emulator.env)
    up = stack.up()
    assert up.summary.resource_changes == {"create": 2}
    job_id = up.outputs["job_id"].value
    assert job_id.startswith("quickstart-")  # generated: no job id declared
    job = batch.get_job(job_id)
    assert job.job_preparation_task is not None and job.job_release_task is not None
    assert job.job_release_task.max_wall_clock_time is not None
    assert job.job_release_task.max_wall_clock_time.total_seconds() == 300
    assert sorted(t.id for t in batch.list_tasks(job_id)) == ["hello-0", "hello-1"]
    wait_for_tasks(batch, job_id)
    # The preparation task made the scratch directory on the nodes that ran tasks ...
    scratch = list(node_root(emulator).glob("default/*/shared/quickstart"))
    assert scratch
    assert stack.destroy().summary.resource_changes == {"delete": 2}
    assert_gone(batch, job_id)
    # ... and deleting the job ran the release task there, which removed it.
    assert not any(path.exists() for path in scratch)


def _recent_job(batch: BatchClient, schedule_id: str) -> str | None:
    info = batch.get_job_schedule(schedule_id).execution_info
    recent = info.recent_job if info is not None else None
    return str(recent.id) if recent is not None and recent.id else None


def _new_recent_job(batch: BatchClient, schedule_id: str, seen: list[str]) -> str | None:
    found = _recent_job(batch, schedule_id)
    return found if found not in seen else None


def _completed_with_release(batch: BatchClient, job_id: str) -> dict[str, Any] | None:
    """Once the job completed: per node where its preparation completed, the release task's
    state (None before)."""
    if batch.get_job(job_id).state != "completed":
        return None
    nodes = {}
    for status in batch.list_job_preparation_and_release_task_status(job_id):
        prep, release = (
            status.job_preparation_task_execution_info,
            status.job_release_task_execution_info,
        )
        if prep is not None and prep.state == "completed":
            nodes[str(status.node_id)] = release.state if release is not None else "none"
    return nodes


def test_nightly_schedule(tmp_path: Path) -> None:
    """Two nights on the emulator's clock: each night's job ran its Job Manager and, on each
    node where its preparation ran, its Job Release task; destroy leaves nothing."""
    with start_emulator(nodes=2, slots=2) as emulator:
        batch = BatchClient(
            emulator.endpoint, AzureNamedKeyCredential(emulator.account, emulator.key)
        )
        stack = example_stack("nightly-schedule", tmp_path, env=emulator.env)
        up = stack.up()
        schedule_id = up.outputs["schedule_id"].value
        assert schedule_id.startswith("nightly-")
        jobs: list[str] = []
        for night in range(2):
            if night:
                emulator.advance_clock(24 * 3600)
            job_id = str(_wait(lambda: _new_recent_job(batch, schedule_id, jobs)))
            jobs.append(job_id)
            released = _wait(partial(_completed_with_release, batch, job_id))
            assert released and set(released.values()) == {"completed"}, released
            reports = list(node_root(emulator).glob(f"default/*/shared/nightly/{job_id}.report"))
            assert len(reports) == len(released)
            assert all(r.read_text().split() == ["1.out", "2.out", "3.out"] for r in reports)
        assert jobs == [f"{schedule_id}:job-1", f"{schedule_id}:job-2"]
        listed = sorted(str(j.id) for j in batch.list_jobs_from_schedule(schedule_id))
        assert listed == jobs

        assert stack.destroy().summary.resource_changes == {"delete": 2}
        with pytest.raises(ResourceNotFoundError):
            batch.get_job_schedule(schedule_id)
        assert [j.id for j in batch.list_jobs() if str(j.id).startswith(schedule_id)] == []


def _wait(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Poll the Batch API through ``check`` until it answers something truthy."""
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
    return found


def test_container_release_task(
    tmp_path: Path, emulator: EmulatorHandle, batch: BatchClient
) -> None:
    stack = example_stack("container-release-task", tmp_path, env=emulator.env)
    job_id = stack.up().outputs["job_id"].value
    release = batch.get_job(job_id).job_release_task
    assert release is not None and release.id == "archive-logs"
    assert release.container_settings is not None
    assert release.container_settings.image_name == "mcr.microsoft.com/azurelinux/base/core:3.0"
    assert release.container_settings.container_run_options == "--rm"
    assert release.user_identity is not None and release.user_identity.auto_user is not None
    assert release.user_identity.auto_user.elevation_level == "admin"
    wait_for_tasks(batch, job_id)
    assert stack.destroy().summary.resource_changes == {"delete": 2}
    assert_gone(batch, job_id)
    # The emulator runs container tasks on the host: the release task's archive is there.
    assert list(node_root(emulator).glob(f"default/*/shared/{job_id}-logs.tgz"))


def test_migrate_az_job_spec(tmp_path: Path, emulator: EmulatorHandle, batch: BatchClient) -> None:
    path = EXAMPLES / "migrate-az-job-spec" / "job.json"
    spec = json.loads(path.read_text())
    # The typed arguments keep every property of the spec.
    assert set(job_spec_from_args(load_job_spec(path))) == set(spec)

    stack = example_stack("migrate-az-job-spec", tmp_path, env=emulator.env)
    assert stack.up().outputs["job_id"].value == spec["id"]
    job = batch.get_job(spec["id"])
    assert (job.display_name, job.priority) == (spec["displayName"], spec["priority"])
    assert job.constraints is not None and job.constraints.max_task_retry_count == 2
    assert job.job_preparation_task is not None and job.job_preparation_task.id == "fetch-assets"
    assert job.job_release_task is not None and job.job_release_task.id == "purge-assets"
    assert [(e.name, e.value) for e in job.job_release_task.environment_settings or []] == [
        ("PURGE_MODE", "all")
    ]
    assert ("team", "render") in [(m.name, m.value) for m in job.metadata or []]
    assert stack.destroy().summary.resource_changes == {"delete": 2}
    assert_gone(batch, spec["id"])


def test_azure_shared_key_from_stack_config(
    tmp_path: Path, emulator: EmulatorHandle, batch: BatchClient
) -> None:
    stack = example_stack(
        "azure-shared-key",
        tmp_path,
        env={},
        config={
            "poolId": "default",
            "azure-batch-jobs:endpoint": emulator.endpoint,
            "azure-batch-jobs:accountName": emulator.account,
        },
        secrets={"azure-batch-jobs:accountKey": emulator.key},
    )
    up = stack.up()
    job_id = up.outputs["job_id"].value
    assert sorted(t.id for t in batch.list_tasks(job_id)) == ["ingest-0", "ingest-1", "ingest-2"]
    state = json.dumps(state_file(tmp_path / "pulumi", "batch-jobs-azure-shared-key"))
    assert emulator.key not in state
    config_files = list((tmp_path / "pulumi" / "program").glob("Pulumi.*.yaml"))
    assert config_files and all(emulator.key not in p.read_text() for p in config_files)
    assert stack.destroy().summary.resource_changes == {"delete": 2}
    assert_gone(batch, job_id)


def test_azure_entra_id_through_default_azure_credential(
    tmp_path: Path, emulator: EmulatorHandle, batch: BatchClient
) -> None:
    assert emulator.https_endpoint and emulator.ca_cert and emulator.authority
    assert emulator.tenant_id and emulator.client_id and emulator.client_secret
    identity = {
        # azure-identity's EnvironmentCredential, first in DefaultAzureCredential's chain.
        "AZURE_TENANT_ID": emulator.tenant_id,
        "AZURE_CLIENT_ID": emulator.client_id,
        "AZURE_CLIENT_SECRET": emulator.client_secret,
        "AZURE_AUTHORITY_HOST": emulator.authority,
        "REQUESTS_CA_BUNDLE": emulator.ca_cert,
    }
    stack = example_stack(
        "azure-entra-id",
        tmp_path,
        env=identity,
        config={"poolId": "default", "azure-batch-jobs:endpoint": emulator.https_endpoint},
    )
    outputs = stack.up().outputs
    job_id = outputs["job_id"].value
    assert outputs["url"].value == f"{emulator.https_endpoint}/jobs/{job_id}"  # over HTTPS
    assert batch.get_job(job_id).job_release_task is not None
    assert stack.destroy().summary.resource_changes == {"delete": 2}
    assert_gone(batch, job_id)


def test_azure_native_pool_job_previews_with_an_existing_pool(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    stack = example_stack(
        "azure-native-pool", tmp_path, env=emulator.env, config={"poolId": "default"}
    )
    emulator.reset_stats()
    assert stack.preview().change_summary == {"create": 2}
    assert emulator.stats()["total"] == 0


def _mypy(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", *extra, str(path)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=300,
    )


@pytest.mark.parametrize("name", sorted(TESTED - {"azure-native-pool"}))
def test_example_type_checks(name: str) -> None:
    result = _mypy(EXAMPLES / name / "__main__.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_azure_native_pool_type_checks() -> None:
    """With ``pulumi-azure-native`` installed beside the project (not in ``.venv``: its
    plugin cannot be fetched here), the whole program; otherwise the component part,
    ``pulumi_azure_native`` being unresolved."""
    program = EXAMPLES / "azure-native-pool" / "__main__.py"
    python = AZURE_NATIVE_VENV / "bin" / "python"
    extra: tuple[str, ...]
    if python.exists():
        extra = ("--python-executable", str(python))
    else:
        extra = ("--disable-error-code", "import-not-found", "--disable-error-code", "import")
    result = _mypy(program, *extra)
    assert result.returncode == 0, result.stdout + result.stderr
