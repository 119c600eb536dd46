"""Request authentication: Batch shared key and Entra ID bearer tokens.

Shared key: HMAC-SHA256, keyed with the base64-decoded account key (key1, then key2),
over the string-to-sign Batch defines::

    VERB \\n Content-Encoding \\n Content-Language \\n Content-Length \\n Content-MD5 \\n
    Content-Type \\n Date \\n If-Modified-Since \\n If-Match \\n If-None-Match \\n
    If-Unmodified-Since \\n Range \\n
    ocp-* headers as "name:value\\n", sorted
    /account/path
    \\nquery-name:value (sorted by name)

Content-Length is "0" for a body-less request other than GET and HEAD, as both the
azure-batch SDK and the Azure CLI sign it. Keys, signatures and tokens are never logged
nor echoed in errors.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

from batch_emulator.clock import parse_http_date
from batch_emulator.errors import BatchError
from batch_emulator.tokens import TokenError, TokenIssuer

__all__ = ["SIGNED_HEADERS", "Authenticator", "string_to_sign"]

SIGNED_HEADERS = (
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
)
_MAX_CLOCK_SKEW = 15 * 60


def string_to_sign(
    method: str, path: str, query: str, headers: Mapping[str, str], account: str
) -> str:
    """The canonical string a shared-key client signs (headers keyed in lower case)."""
    values = {k: v for k, v in headers.items() if v}
    if method not in {"GET", "HEAD"} and "content-length" not in values:
        values["content-length"] = "0"
    text = method + "\n" + "\n".join(values.get(h, "") for h in SIGNED_HEADERS) + "\n"
    for name, value in sorted((k, v) for k, v in values.items() if "ocp-" in k):
        text += f"{name}:{value}\n"
    text += f"/{account}{path}"
    parsed = parse_qs(query)
    for name in sorted(parsed):
        if parsed[name][0]:
            text += f"\n{name}:{parsed[name][0]}"
    return text


def _failed(status: int, detail: str) -> BatchError:
    return BatchError(
        status,
        "AuthenticationFailed",
        "Server failed to authenticate the request. Make sure the value of Authorization "
        "header is correctly formed including the signature.",
        {"AuthenticationErrorDetail": detail},
    )


@dataclass
class Authenticator:
    """Checks every Batch request of one account."""

    account: str
    keys: list[str]
    tokens: TokenIssuer | None = None

    def __post_init__(self) -> None:
        self._secrets = [base64.b64decode(k) for k in self.keys]  # decoded once, not per request

    def authenticate(
        self, method: str, raw_path: str, query: str, headers: Mapping[str, str], tls: bool
    ) -> str:
        """Return the auth scheme used ("SharedKey"/"Bearer") or raise a Batch error."""
        header = headers.get("authorization", "")
        if not header:
            raise _failed(401, "The Authorization header was not specified in the request.")
        scheme, _, credential = header.partition(" ")
        if scheme == "SharedKey":
            self._shared_key(method, raw_path, query, headers, credential.strip())
            return "SharedKey"
        if scheme.lower() == "bearer":
            self._bearer(credential.strip(), tls)
            return "Bearer"
        raise _failed(
            401, "The authentication scheme of the Authorization header is not supported."
        )

    def _shared_key(
        self, method: str, raw_path: str, query: str, headers: Mapping[str, str], credential: str
    ) -> None:
        account, sep, signature = credential.rpartition(":")
        if not sep or not account or not signature:
            raise _failed(403, "The Authorization header is not in the SharedKey format.")
        if account != self.account:
            raise _failed(403, "The account in the Authorization header does not match.")
        stamp = headers.get("ocp-date") or headers.get("date")
        if not stamp:
            raise _failed(403, "The request has neither an ocp-date nor a Date header.")
        when = parse_http_date(stamp)
        if when is None or abs(when.timestamp() - time.time()) > _MAX_CLOCK_SKEW:
            raise _failed(403, "The request date is invalid or more than 15 minutes off.")
        paths = {raw_path, raw_path.replace("%5C", "/").replace("%2F", "/")}
        given = signature.encode()
        for path in paths:
            text = string_to_sign(method, path, query, headers, self.account).encode()
            for secret in self._secrets:
                digest = hmac.new(secret, text, hashlib.sha256).digest()
                if hmac.compare_digest(base64.b64encode(digest), given):
                    return
        raise _failed(
            403,
            "The MAC signature found in the HTTP request is not the same as any computed "
            "signature.",
        )

    def _bearer(self, token: str, tls: bool) -> None:
        if not tls:
            raise _failed(401, "Bearer tokens are accepted over HTTPS only.")
        if self.tokens is None:
            raise _failed(401, "This emulator was started without Entra ID support (--tls).")
        try:
            self.tokens.verify(token)
        except TokenError as exc:
            raise _failed(401, str(exc)) from None
