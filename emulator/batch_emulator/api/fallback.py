"""Batch-shaped answers for everything the emulator does not serve.

Operations of the REST spec the emulator does not implement get 501 ``NotImplemented``;
unknown URIs get 400 ``InvalidUri``; a known URI with another verb 405
``UnsupportedHttpVerb``. All after authentication, as the service does.
"""

from __future__ import annotations

import re

from starlette.responses import Response
from starlette.routing import Route

from batch_emulator.api._http import Call, operation
from batch_emulator.errors import BatchError

__all__ = ["routes"]

_SEG = r"[^/]+"
#: Path templates of spec operations the emulator does not implement (any verb).
_UNIMPLEMENTED = [
    "/applications",
    "/applications/{}",
    "/poolusagemetrics",
    "/supportedimages",
    "/nodecounts",
    "/certificates",
    "/certificates/{}",
    "/pools/{}/disableautoscale",
    "/pools/{}/enableautoscale",
    "/pools/{}/evaluateautoscale",
    "/pools/{}/removenodes",
    "/pools/{}/nodes/{}/{}",
    "/pools/{}/nodes/{}/users/{}",
    "/pools/{}/nodes/{}/extensions/{}",
    "/jobs/{}/tasks/{}/subtasksinfo",
]
_PATTERNS = [re.compile("^" + p.replace("{}", _SEG) + "/?$", re.IGNORECASE) for p in _UNIMPLEMENTED]
_KNOWN = [
    "/jobs",
    "/jobs/{}",
    "/jobs/{}/(terminate|disable|enable|taskcounts|jobpreparationandreleasetaskstatus)",
    "/jobs/{}/(tasks|addtaskcollection)",
    "/jobs/{}/tasks/{}",
    "/jobs/{}/tasks/{}/(terminate|reactivate)",
    "/jobschedules",
    "/jobschedules/{}",
    "/jobschedules/{}/(terminate|disable|enable|jobs)",
    "/pools",
    "/pools/{}",
    "/pools/{}/(resize|stopresize|updateproperties|nodes)",
    "/pools/{}/nodes/{}",
    "/pools/{}/nodes/{}/(reboot|reimage)",
    "/pools/{}/nodes/{}/files",
    "/pools/{}/nodes/{}/files/.+",
    "/jobs/{}/tasks/{}/files",
    "/jobs/{}/tasks/{}/files/.+",
]
_KNOWN_PATTERNS = [re.compile("^" + p.replace("{}", _SEG) + "$") for p in _KNOWN]


async def fallback(call: Call) -> Response:
    path = call.request.url.path
    if any(p.match(path) for p in _KNOWN_PATTERNS):
        raise BatchError(
            405,
            "UnsupportedHttpVerb",
            "The resource doesn't support the specified HTTP verb.",
            {"HttpVerb": call.request.method},
        )
    if any(p.match(path) for p in _PATTERNS):
        raise BatchError(
            501,
            "NotImplemented",
            "The Azure Batch emulator does not implement this operation.",
            {"HttpVerb": call.request.method, "RequestUri": path},
        )
    raise BatchError(
        400, "InvalidUri", "The requested URI does not represent any resource on the server."
    )


def routes() -> list[Route]:
    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return [
        operation("Unsupported", method, "/{path:path}", fallback, batch=False, counted=True)
        for method in methods
    ]
