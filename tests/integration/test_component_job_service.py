"""The component's Batch core against the real emulator over HTTP: the API-minimum
request count, task chunking, and a create whose response was lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from azure.batch import BatchClient

from batch_emulator.testing import EmulatorHandle
from pulumi_azure_batch_jobs.core._connection import make_client, resolve_connection
from pulumi_azure_batch_jobs.core._errors import BatchJobError
from pulumi_azure_batch_jobs.core._job_service import BatchJobService
from pulumi_azure_batch_jobs.core._stamp import CREATE_MARKER_NAME


@pytest.fixture
def service(emulator: EmulatorHandle) -> BatchJobService:
    connection = resolve_connection(
        endpoint=emulator.endpoint, account_name=emulator.account, account_key=emulator.key
    )
    return BatchJobService(make_client(connection))


def job(job_id: str) -> dict[str, Any]:
    return {
        "id": job_id,
        "poolInfo": {"poolId": "default"},
        "jobPreparationTask": {"commandLine": "/bin/true"},
        "jobReleaseTask": {"commandLine": "/bin/true"},
    }


def tasks(count: int) -> list[dict[str, Any]]:
    return [{"id": f"t{i:04d}", "commandLine": "/bin/true"} for i in range(count)]


@pytest.mark.parametrize(("count", "collections"), [(0, 0), (1, 1), (100, 1), (101, 2), (250, 3)])
def test_create_makes_one_job_write_one_write_per_100_tasks_and_one_read(
    service: BatchJobService,
    emulator: EmulatorHandle,
    client: BatchClient,
    new_id: Callable[[str], str],
    count: int,
    collections: int,
) -> None:
    job_id = new_id("chunks")
    emulator.reset_stats()
    observed = service.create(job(job_id), tasks(count), "token-1")
    stats = emulator.stats()
    assert stats["writes"] == 1 + collections
    assert stats["reads"] == 1, "one Get Job for the outputs"
    assert observed["eTag"] and observed["url"].endswith(f"/jobs/{job_id}")
    created = client.get_job(job_id)
    assert observed["eTag"] == created.etag
    assert observed["creationTime"] == created.as_dict()["creationTime"]
    assert observed["state"] == "active"
    assert len(list(client.list_tasks(job_id))) == count


def test_a_retried_create_of_our_own_job_succeeds_without_a_duplicate(
    service: BatchJobService, client: BatchClient, new_id: Callable[[str], str]
) -> None:
    job_id = new_id("lost")
    service.create(job(job_id), tasks(3), "token-a")
    # The same create again, as after a response lost on the way back: JobExists, but
    # the job carries our marker, so it is ours and the call succeeds.
    observed = service.create(job(job_id), tasks(3), "token-a")
    assert observed["id"] == job_id
    assert len([j for j in client.list_jobs() if j.id == job_id]) == 1
    assert len(list(client.list_tasks(job_id))) == 3
    metadata = {m.name: m.value for m in client.get_job(job_id).metadata or []}
    assert metadata[CREATE_MARKER_NAME] == "token-a"


def test_a_job_created_by_someone_else_is_refused(
    service: BatchJobService, new_id: Callable[[str], str]
) -> None:
    job_id = new_id("other")
    service.create(job(job_id), [], "token-a")
    with pytest.raises(BatchJobError) as failure:
        service.create(job(job_id), [], "token-b")
    assert failure.value.code == "JobExists"
    assert "was not created by this resource" in str(failure.value)


def test_patch_with_a_stale_etag_is_refused_and_changes_nothing(
    service: BatchJobService, client: BatchClient, new_id: Callable[[str], str]
) -> None:
    job_id = new_id("etag")
    first = service.create({**job(job_id), "priority": 1}, [], "token")
    service.patch(job_id, {"priority": 2}, first["eTag"])
    with pytest.raises(BatchJobError) as failure:
        service.patch(job_id, {"priority": 3}, first["eTag"])
    assert failure.value.status == 412
    assert "ConditionNotMet" in str(failure.value)
    assert client.get_job(job_id).priority == 2


def test_delete_waits_until_the_job_is_gone(
    service: BatchJobService, client: BatchClient, new_id: Callable[[str], str]
) -> None:
    job_id = new_id("gone")
    service.create(job(job_id), tasks(2), "token")
    service.delete(job_id, timeout=60)
    assert service.get(job_id) is None
    service.delete(job_id, timeout=60)  # deleting what is gone is a no-op


def test_an_unreachable_endpoint_is_a_one_line_error() -> None:
    connection = resolve_connection(
        endpoint="http://127.0.0.1:9", account_name="a", account_key="a2V5"
    )
    client = make_client(connection)
    with pytest.raises(BatchJobError) as failure:
        BatchJobService(client).get("any")
    assert str(failure.value).startswith("reading job 'any' failed: ")
    assert "\n" not in str(failure.value)
