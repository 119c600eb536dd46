"""Batch REST calls as JSON, on an azure-batch ``BatchClient``'s own pipeline.

The job lifecycle already holds REST JSON; building azure-batch models from it for every
request and parsing every response back into models (to turn them into JSON again) was
most of a request's client CPU. ``send`` hands the JSON to ``BatchClient.send_request``, so
authentication, retries, timeouts and the client's error policy (a non-2xx answer raises
the same azure-core error, with the same ``BatchError`` model, as an SDK operation) are the
SDK's, unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from azure.batch import BatchClient
    from azure.core.rest import HttpResponse

#: The Batch REST API version, for these calls and for the client's own operations.
API_VERSION = "2025-06-01"
#: The content type azure-batch sends JSON bodies with.
JSON_CONTENT_TYPE = "application/json; odata=minimalmetadata"


def job_path(job_id: str, *rest: str) -> str:
    """``/jobs/<id>[/...]``, the id quoted as the SDK quotes it."""
    return "/".join(("/jobs", quote(job_id, safe=""), *rest))


def schedule_path(schedule_id: str, *rest: str) -> str:
    """``/jobschedules/<id>[/...]``, the id quoted as the SDK quotes it."""
    return "/".join(("/jobschedules", quote(schedule_id, safe=""), *rest))


def send(
    client: BatchClient,
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """Send one request; an answer outside 2xx raises as the SDK's operations do."""
    from azure.core.rest import HttpRequest

    all_headers = dict(headers or {})
    if body is not None:
        all_headers["Content-Type"] = JSON_CONTENT_TYPE
    request = HttpRequest(
        method, path, params={"api-version": API_VERSION}, headers=all_headers, json=body
    )
    return client.send_request(request)


def observed_headers(response: HttpResponse) -> dict[str, Any]:
    """The job facts a write's response headers carry, as the SDK's operations return them
    (``Last-Modified`` as a ``datetime``)."""
    headers = response.headers
    last_modified = headers.get("Last-Modified")
    return {
        "DataServiceId": headers.get("DataServiceId"),
        "ETag": headers.get("ETag"),
        "Last-Modified": parsedate_to_datetime(last_modified) if last_modified else None,
    }
