"""Wire details through the SDK's own pipeline (shared-key signed): headers, OData
metadata, paging, conditional requests, api-versions and Batch-shaped errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core import MatchConditions
from azure.core.credentials import AzureNamedKeyCredential
from azure.core.exceptions import HttpResponseError, ResourceModifiedError
from azure.core.rest import HttpRequest

from batch_emulator.testing import EmulatorHandle
from tests.support.sdk_fields import rest_response

NewId = Callable[[str], str]
V = "api-version=2025-06-01"


def _send(client: BatchClient, method: str, url: str, **kwargs: Any) -> Any:
    """Send through the client's pipeline; the SDK raises on errors, so unwrap them."""
    try:
        return client.send_request(HttpRequest(method, url, **kwargs))
    except HttpResponseError as error:
        assert error.response is not None
        return error.response


def _make_job(client: BatchClient, job_id: str) -> None:
    client.create_job(
        m.BatchJobCreateOptions(id=job_id, pool_info=m.BatchPoolInfo(pool_id="default"))
    )


def test_create_headers(client: BatchClient, emulator: EmulatorHandle, new_id: NewId) -> None:
    job_id = new_id("job")
    body = {"id": job_id, "poolInfo": {"poolId": "default"}}
    response = _send(
        client,
        "POST",
        f"/jobs?{V}",
        json=body,
        headers={"client-request-id": "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0"},
    )
    assert response.status_code == 201
    assert response.headers["DataServiceId"] == f"{emulator.endpoint}/jobs/{job_id}"
    assert response.headers["Location"] == f"{emulator.endpoint}/jobs/{job_id}"
    assert response.headers["ETag"].startswith("0x")
    assert parsedate_to_datetime(response.headers["Last-Modified"]).tzinfo is not None
    assert response.headers["request-id"]
    assert response.headers["client-request-id"] == "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0"
    got = _send(client, "GET", f"/jobs/{job_id}?{V}")
    assert got.status_code == 200
    assert got.headers["ETag"] == response.headers["ETag"]
    assert got.json()["odata.metadata"] == f"{emulator.endpoint}/$metadata#jobs/@Element"
    assert got.json()["eTag"] == response.headers["ETag"]


def test_paging_with_next_link(client: BatchClient, new_id: NewId) -> None:
    prefix = new_id("page")
    for i in range(5):
        _make_job(client, f"{prefix}-{i}")
    query = f"$filter=startswith(id,'{prefix}')&maxresults=2&{V}"
    first = _send(client, "GET", f"/jobs?{query}").json()
    assert len(first["value"]) == 2
    assert "odata.nextLink" in first
    ids = [j["id"] for j in first["value"]]
    link = first["odata.nextLink"]
    while link:
        page = _send(client, "GET", link).json()
        ids += [j["id"] for j in page["value"]]
        link = page.get("odata.nextLink")
    assert ids == [f"{prefix}-{i}" for i in range(5)]
    through_sdk = client.list_jobs(filter=f"startswith(id,'{prefix}')", max_results=2)
    assert [j.id for j in through_sdk] == ids


def test_select_and_bad_query(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    _make_job(client, job_id)
    job = client.get_job(job_id, select=["id", "state"])
    assert job.id == job_id and job.priority is None
    bad = _send(client, "GET", f"/jobs?$filter=state%20equals%20'x'&{V}")
    assert bad.status_code == 400
    assert bad.json()["code"] == "InvalidQueryParameterValue"
    too_many = _send(client, "GET", f"/jobs?maxresults=5000&{V}")
    assert too_many.status_code == 400
    values = {v["key"]: v["value"] for v in too_many.json()["values"]}
    assert values["QueryParameterName"] == "maxresults"


def test_if_match_and_if_none_match(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    _make_job(client, job_id)
    etag = client.get_job(job_id).etag
    client.update_job(
        job_id,
        m.BatchJobUpdateOptions(priority=1),
        etag=etag,
        match_condition=MatchConditions.IfNotModified,
    )
    with pytest.raises(ResourceModifiedError) as exc:
        client.update_job(
            job_id,
            m.BatchJobUpdateOptions(priority=2),
            etag=etag,
            match_condition=MatchConditions.IfNotModified,
        )
    assert exc.value.response is not None
    assert exc.value.response.status_code == 412
    assert rest_response(exc.value).json()["code"] == "ConditionNotMet"
    assert client.get_job(job_id).priority == 1
    current = client.get_job(job_id).etag
    with pytest.raises(HttpResponseError) as unchanged:
        client.begin_delete_job(
            job_id, etag=current, match_condition=MatchConditions.IfModified
        ).result()
    assert unchanged.value.response is not None and unchanged.value.response.status_code == 412
    not_modified = _send(client, "GET", f"/jobs/{job_id}?{V}", headers={"If-None-Match": current})
    assert not_modified.status_code == 304


def test_if_modified_and_unmodified_since(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    _make_job(client, job_id)
    past = datetime.now(UTC) - timedelta(hours=1)
    future = datetime.now(UTC) + timedelta(hours=1)
    with pytest.raises(HttpResponseError) as exc:
        client.update_job(job_id, m.BatchJobUpdateOptions(priority=3), if_unmodified_since=past)
    assert exc.value.response is not None
    assert (exc.value.response.status_code, rest_response(exc.value).json()["code"]) == (
        412,
        "ConditionNotMet",
    )
    with pytest.raises(HttpResponseError) as exc:
        client.update_job(job_id, m.BatchJobUpdateOptions(priority=3), if_modified_since=future)
    assert exc.value.response is not None and exc.value.response.status_code == 412
    client.update_job(job_id, m.BatchJobUpdateOptions(priority=3), if_modified_since=past)
    client.update_job(job_id, m.BatchJobUpdateOptions(priority=4), if_unmodified_since=future)
    assert client.get_job(job_id, if_modified_since=past).priority == 4


def test_api_versions(emulator: EmulatorHandle, new_id: NewId) -> None:
    credential = AzureNamedKeyCredential(emulator.account, emulator.key)
    for version in ("2025-06-01", "2024-02-01.19.0"):
        client = BatchClient(emulator.endpoint, credential, api_version=version)
        job_id = new_id("job")
        _make_job(client, job_id)
        assert client.get_job(job_id).id == job_id
    old = BatchClient(emulator.endpoint, credential, api_version="2019-08-01.10.0")
    with pytest.raises(HttpResponseError) as exc:
        old.get_job("anything")
    assert exc.value.response is not None
    body = rest_response(exc.value).json()

    assert (exc.value.response.status_code, body["code"]) == (400, "InvalidQueryParameterValue")
    values = {v["key"]: v["value"] for v in body["values"]}
    assert values["QueryParameterName"] == "api-version"
    client = BatchClient(emulator.endpoint, credential)
    missing = _send(client, "GET", "/jobs")
    assert missing.status_code == 400
    assert missing.json()["code"] == "MissingRequiredQueryParameter"


def test_unimplemented_and_unknown(client: BatchClient) -> None:
    response = _send(client, "GET", f"/certificates?{V}")
    assert response.status_code == 501
    assert response.json()["code"] == "NotImplemented"
    assert response.json()["message"]["lang"] == "en-US"
    unknown = _send(client, "GET", f"/no/such/thing?{V}")
    assert (unknown.status_code, unknown.json()["code"]) == (400, "InvalidUri")
    verb = _send(client, "PATCH", f"/pools?{V}", json={})
    assert (verb.status_code, verb.json()["code"]) == (405, "UnsupportedHttpVerb")
    broken = _send(
        client,
        "POST",
        f"/jobs?{V}",
        content=b"{not json",
        headers={"Content-Type": "application/json; odata=minimalmetadata"},
    )
    assert (broken.status_code, broken.json()["code"]) == (400, "InvalidRequestBody")


def test_properties_newer_than_the_spec_are_kept(client: BatchClient, new_id: NewId) -> None:
    job_id = new_id("job")
    body = {"id": job_id, "poolInfo": {"poolId": "default"}, "futureSetting": {"a": 1}}
    assert _send(client, "POST", f"/jobs?{V}", json=body).status_code == 201
    assert _send(client, "GET", f"/jobs/{job_id}?{V}").json()["futureSetting"] == {"a": 1}
    wrong_type = {"id": new_id("job"), "poolInfo": {"poolId": "default"}, "priority": "high"}
    response = _send(client, "POST", f"/jobs?{V}", json=wrong_type)
    assert (response.status_code, response.json()["code"]) == (400, "InvalidPropertyValue")


def test_stats_count_requests(client: BatchClient, emulator: EmulatorHandle, new_id: NewId) -> None:
    emulator.reset_stats()
    job_id = new_id("job")
    _make_job(client, job_id)
    client.create_tasks(
        job_id, [m.BatchTaskCreateOptions(id=f"s{i}", command_line="echo") for i in range(250)]
    )
    client.get_job(job_id)
    stats = emulator.stats()
    counts = {(r["operation"], r["status"]): r["count"] for r in stats["operations"]}
    assert counts == {
        ("Jobs_CreateJob", 201): 1,
        ("Tasks_CreateTaskCollection", 200): 3,
        ("Jobs_GetJob", 200): 1,
    }
    assert (stats["writes"], stats["reads"]) == (4, 1)
    _send(client, "GET", f"/certificates?{V}")  # unimplemented calls are counted too
    counted = {(r["operation"], r["route"], r["status"]) for r in emulator.stats()["operations"]}
    assert ("Unsupported", "/{path:path}", 501) in counted
    emulator.reset_stats()
    assert emulator.stats()["total"] == 0
