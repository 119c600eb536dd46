"""Shared-key signing as Batch clients do it, for raw REST calls to the emulator.

The algorithm is the client's (azure-batch 14.x ``batch_auth.py``, the SDK behind
``az batch``): the request's own headers, as sent, go into the string to sign (no
Content-Length default, unlike azure-batch 15); a fresh ``ocp-date`` is added when
missing. It is written apart from the emulator's verifier (:mod:`batch_emulator.auth`)
on purpose, so that requests signed with it test that verifier; only the list of signed
standard headers is shared.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import MutableMapping
from email.utils import formatdate
from typing import Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit

from batch_emulator.auth import SIGNED_HEADERS

__all__ = ["SharedKey"]


class _Request(Protocol):
    """What signing reads of a request (``requests.PreparedRequest`` has it)."""

    @property
    def method(self) -> str | None: ...

    @property
    def url(self) -> str | None: ...

    @property
    def headers(self) -> MutableMapping[str, str]: ...


_R = TypeVar("_R", bound=_Request)


class SharedKey:
    """An account name and its base64 key; signs requests.

    Use it as ``requests``' auth (``session.auth = SharedKey(account, key)``) or call
    :meth:`sign` on a header dict.
    """

    def __init__(self, account: str, key: str) -> None:
        self.account = account
        self._key = base64.b64decode(key)

    def string_to_sign(self, method: str, url: str, headers: MutableMapping[str, str]) -> str:
        """Verb, the standard headers, the ``ocp-`` headers, ``/account/path``, the query."""
        parts = urlsplit(url)
        values = {name.lower(): value for name, value in headers.items() if value}
        text = method + "\n" + "".join(f"{values.get(h, '')}\n" for h in SIGNED_HEADERS)
        ocp = sorted((k.lower(), v) for k, v in headers.items() if "ocp-" in k and v)
        text += "".join(f"{name}:{value}\n" for name, value in ocp)
        text += f"/{self.account}{parts.path}"
        query = parse_qs(parts.query)
        return text + "".join(f"\n{name}:{query[name][0]}" for name in sorted(query))

    def sign(self, method: str, url: str, headers: MutableMapping[str, str]) -> str:
        """Add ``ocp-date`` if missing and ``Authorization``; return the latter."""
        if not headers.get("ocp-date"):
            headers["ocp-date"] = formatdate(usegmt=True)
        text = self.string_to_sign(method, url, headers)
        digest = hmac.new(self._key, text.encode(), hashlib.sha256).digest()
        headers["Authorization"] = f"SharedKey {self.account}:{base64.b64encode(digest).decode()}"
        return headers["Authorization"]

    def __call__(self, request: _R) -> _R:
        """Sign a ``requests.PreparedRequest`` (the ``requests`` auth protocol)."""
        self.sign(str(request.method), str(request.url), request.headers)
        return request
