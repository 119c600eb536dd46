"""``core._rest.send`` raises on a Batch error as the SDK's own operations do.

``BatchClient.send_request`` leaves error handling to the caller in general; azure-batch's
client adds its ``BatchExceptionPolicy`` to every pipeline, so a non-2xx answer raises the
same azure-core error. These tests hold that over real HTTP: a change of azure-batch that
drops the policy would make the job service read an error body as a job.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from azure.batch import BatchClient
from azure.core.exceptions import ResourceExistsError, ResourceModifiedError, ResourceNotFoundError

from pulumi_azure_batch_jobs.core import _rest as rest
from pulumi_azure_batch_jobs.core._errors import error_code


def test_a_missing_job_raises_not_found(client: BatchClient, new_id: Callable[[str], str]) -> None:
    with pytest.raises(ResourceNotFoundError) as raised:
        rest.send(client, "GET", rest.job_path(new_id("missing")))
    assert error_code(raised.value) == "JobNotFound"


def test_an_existing_job_raises_exists(client: BatchClient, new_id: Callable[[str], str]) -> None:
    body = {"id": new_id("twice"), "poolInfo": {"poolId": "default"}}
    rest.send(client, "POST", "/jobs", body=body)
    with pytest.raises(ResourceExistsError) as raised:
        rest.send(client, "POST", "/jobs", body=body)
    assert error_code(raised.value) == "JobExists"


def test_a_stale_etag_raises_modified(client: BatchClient, new_id: Callable[[str], str]) -> None:
    job_id = new_id("stale")
    rest.send(client, "POST", "/jobs", body={"id": job_id, "poolInfo": {"poolId": "default"}})
    with pytest.raises(ResourceModifiedError) as raised:
        rest.send(
            client,
            "PATCH",
            rest.job_path(job_id),
            body={"priority": 1},
            headers={"If-Match": '"0x1"'},
        )
    assert error_code(raised.value) == "ConditionNotMet"
