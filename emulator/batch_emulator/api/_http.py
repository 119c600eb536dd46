"""The HTTP plumbing every Batch route shares: auth, api-version, errors, headers, stats."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from batch_emulator.auth import Authenticator
from batch_emulator.clock import iso, parse_http_date, parse_iso, rfc1123
from batch_emulator.errors import BatchError, invalid_body, invalid_query
from batch_emulator.service import (
    BASE,
    DEFAULT_MAX_RESULTS,
    BatchService,
    Conditions,
    ListQuery,
    Page,
    project,
)
from batch_emulator.stats import RequestStats

from ._operations import OPERATIONS

__all__ = ["SUPPORTED_API_VERSIONS", "Call", "Env", "batch_operation", "operation"]

#: What azure-batch 15.1 (2025-06-01) and azure-cli / azure-batch 14.x send.
SUPPORTED_API_VERSIONS = frozenset({"2025-06-01", "2024-07-01.20.0", "2024-02-01.19.0"})
_JSON = "application/json;odata=minimalmetadata"
_log = logging.getLogger("batch_emulator.api")


@dataclass
class Env:
    """Application-wide objects the routes use."""

    service: BatchService
    auth: Authenticator
    stats: RequestStats


class Call:
    """One request being answered: ids, base URL, body and query helpers, responses."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.request_id = str(uuid.uuid4())
        self.client_request_id = request.headers.get("client-request-id")
        # The scope's scheme is what request.url.scheme reads, without building the URL.
        self.scheme = str(request.scope.get("scheme", "http"))
        host = request.headers.get("host") or f"{request.url.hostname}:{request.url.port}"
        self.base = f"{self.scheme}://{host}"
        self.api_version = request.query_params.get("api-version", "")
        self.env: Env = request.app.state.env

    @property
    def service(self) -> BatchService:
        return self.env.service

    async def body(self, max_bytes: int | None = None) -> Any:
        raw = await self.request.body()
        if max_bytes is not None and len(raw) > max_bytes:
            raise BatchError(
                413,
                "RequestBodyTooLarge",
                "The request body is too large and exceeds the maximum permissible limit.",
                {"MaxLimit": str(max_bytes)},
            )
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise invalid_body("The request body is not valid JSON.") from None

    async def required_body(self, max_bytes: int | None = None) -> Any:
        body = await self.body(max_bytes)
        if body is None:
            raise invalid_body("The request body is missing.")
        return body

    def conditions(self) -> Conditions:
        headers = self.request.headers
        return Conditions(
            if_match=headers.get("if-match"),
            if_none_match=headers.get("if-none-match"),
            if_modified_since=_date(headers.get("if-modified-since")),
            if_unmodified_since=_date(headers.get("if-unmodified-since")),
        )

    def list_query(self) -> ListQuery:
        params = self.request.query_params
        text = params.get("maxresults")
        max_results = DEFAULT_MAX_RESULTS
        if text is not None:
            try:
                max_results = int(text)
            except ValueError:
                max_results = 0
            if not 1 <= max_results <= DEFAULT_MAX_RESULTS:
                raise invalid_query("maxresults", text, "The value must be between 1 and 1000.")
        return ListQuery(
            filter=params.get("$filter"),
            select=params.get("$select"),
            max_results=max_results,
            skip_token=params.get("$skiptoken") or params.get("$skipToken"),
        )

    def select(self) -> str | None:
        return self.request.query_params.get("$select")

    # -- responses ---------------------------------------------------------------

    def _json(self, payload: dict[str, Any], status: int, headers: dict[str, str]) -> Response:
        text = json.dumps(payload, separators=(",", ":")).replace(BASE, self.base)
        return Response(text, status_code=status, headers=headers, media_type=_JSON)

    def entity(self, body: dict[str, Any], metadata: str, *, select: str | None = None) -> Response:
        """200 with a resource, its ETag and Last-Modified."""
        shown = project(_public(body), select)
        payload = {"odata.metadata": f"{self.base}/$metadata#{metadata}", **shown}
        return self._json(payload, 200, self.resource_headers(body, data_service_id=False))

    def listing(self, page: Page, metadata: str) -> Response:
        payload: dict[str, Any] = {
            "odata.metadata": f"{self.base}/$metadata#{metadata}",
            "value": [_public(item) for item in page.items],
        }
        if page.next_token is not None:
            params = {"api-version": self.api_version}
            for name in ("maxresults", "$filter", "$select", "$expand", "recursive"):
                value = self.request.query_params.get(name)
                if value is not None:
                    params[name] = value
            params["$skiptoken"] = page.next_token
            payload["odata.nextLink"] = f"{self.base}{self.request.url.path}?{urlencode(params)}"
        return self._json(payload, 200, {})

    def document(self, payload: dict[str, Any], metadata: str) -> Response:
        return self._json(
            {"odata.metadata": f"{self.base}/$metadata#{metadata}", **payload}, 200, {}
        )

    def done(
        self, status: int, body: dict[str, Any] | None = None, *, location: bool = False
    ) -> Response:
        """A body-less answer to a write, with the resource's headers when there is one."""
        headers = {} if body is None else self.resource_headers(body, data_service_id=True)
        if location and body is not None:
            headers["Location"] = headers["DataServiceId"]
        if status != 204:
            headers["Content-Length"] = "0"
        return Response(status_code=status, headers=headers, media_type="application/json")

    def resource_headers(self, body: dict[str, Any], *, data_service_id: bool) -> dict[str, str]:
        headers = {"ETag": str(body["eTag"])}
        headers["Last-Modified"] = rfc1123(parse_iso(str(body["lastModified"])))
        if data_service_id and "url" in body:
            headers["DataServiceId"] = str(body["url"]).replace(BASE, self.base)
        return headers

    def error(self, error: BatchError) -> Response:
        headers = dict(error.headers)
        if error.status == 304:
            return Response(status_code=304, headers=headers)
        if self.request.method == "HEAD":
            return Response(status_code=error.status, headers=headers, media_type=_JSON)
        payload = error.body(self.base, self.request_id, iso(self.service.now()))
        text = json.dumps(payload, separators=(",", ":"))
        return Response(text, status_code=error.status, headers=headers, media_type=_JSON)


def _public(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if not k.startswith("_")}


def _date(text: str | None) -> Any:
    return None if text is None else parse_http_date(text)


Handler = Callable[[Call], Awaitable[Response]]


def _check_api_version(call: Call) -> None:
    version = call.request.query_params.get("api-version")
    if not version:
        raise BatchError(
            400,
            "MissingRequiredQueryParameter",
            "A query parameter that's mandatory for this request is not specified.",
            {"QueryParameterName": "api-version"},
        )
    if version not in SUPPORTED_API_VERSIONS:
        raise invalid_query("api-version", version, "The specified api version string is invalid")


async def _check_md5(request: Request, expected: str) -> None:
    """A signed Content-MD5 binds the body to the signature: a replay with another body
    is refused."""
    digest = hashlib.md5(await request.body(), usedforsecurity=False).digest()
    if base64.b64encode(digest).decode() != expected.strip():
        raise BatchError(
            400,
            "Md5Mismatch",
            "The MD5 value specified in the request did not match the MD5 value calculated "
            "by the server.",
        )


def operation(
    name: str,
    method: str,
    path: str,
    handler: Handler,
    *,
    batch: bool = True,
    counted: bool | None = None,
) -> Route:
    """A route that authenticates, checks the api-version (``batch``), answers errors and
    counts the request in the stats (``counted``, by default when ``batch``)."""
    count = batch if counted is None else counted

    async def endpoint(request: Request) -> Response:
        call = Call(request)
        env = call.env
        try:
            scope = request.scope
            raw_path = (scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
            raw_path = raw_path.split("?", 1)[0]
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }
            env.auth.authenticate(
                request.method,
                raw_path,
                scope.get("query_string", b"").decode("latin-1"),
                headers,
                call.scheme == "https",
            )
            if "content-md5" in headers:
                await _check_md5(request, headers["content-md5"])
            if batch:
                _check_api_version(call)
            response = await handler(call)
        except BatchError as error:
            response = call.error(error)
        except Exception:
            _log.exception("internal error in %s", name)
            response = call.error(
                BatchError(500, "InternalServerError", "The server encountered an internal error.")
            )
        response.headers["request-id"] = call.request_id
        if call.client_request_id:
            response.headers["client-request-id"] = call.client_request_id
        if count:
            env.stats.record(name, method, path, response.status_code)
        return response

    return Route(path, endpoint, methods=[method], name=name)


def batch_operation(name: str, handler: Handler) -> Route:
    """The route of the Batch REST operation ``name`` (its operationId), with the method and
    path the spec gives it."""
    method, path = OPERATIONS[name]
    return operation(name, method, path, handler)
