"""The shared-key signing of azure-batch 14.x (``azure/batch/batch_auth.py``, the SDK behind
``az batch``), reproduced over ``requests`` so tests can prove the emulator verifies the
signatures the Azure CLI sends. It differs from azure-batch 15 in how Content-Length is
taken (from the prepared request, not a default of "0").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from email.utils import formatdate
from urllib.parse import parse_qs, urlparse

import requests
from requests.auth import AuthBase

_SIGNED = [
    "content-encoding",
    "content-language",
    "content-length",
    "content-md5",
    "content-type",
    "date",
    "if-modified-since",
    "if-match",
    "if-none-match",
    "if-unmodified-since",
    "range",
]


class CliSharedKeyAuth(AuthBase):
    def __init__(self, account: str, key: str) -> None:
        self.account = account
        self.key = key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if not request.headers.get("ocp-date"):
            request.headers["ocp-date"] = formatdate(usegmt=True)
        url = urlparse(str(request.url))
        text = str(request.method) + "\n"
        values = {k.lower(): v for k, v in request.headers.items() if v}
        text += "\n".join(str(values.get(h, "")) for h in _SIGNED) + "\n"
        ocp = sorted((k.lower(), v) for k, v in request.headers.items() if "ocp-" in k and v)
        for name, value in ocp:
            text += f"{name}:{value}\n"
        text += f"/{self.account}{url.path}"
        query = parse_qs(url.query)
        for name in sorted(query):
            if query[name][0]:
                text += f"\n{name}:{query[name][0]}"
        digest = hmac.new(base64.b64decode(self.key), text.encode(), hashlib.sha256).digest()
        request.headers["Authorization"] = (
            f"SharedKey {self.account}:{base64.b64encode(digest).decode()}"
        )
        return request
