"""Batch failures as one readable line: code, message, offending property, request id."""

from __future__ import annotations

import sys
import traceback
from typing import Any


class BatchJobError(RuntimeError):
    """A Batch operation failed; ``str()`` is the line to show the user."""

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status


def error_code(exc: BaseException) -> str | None:
    """The Batch error code of an ``HttpResponseError`` (e.g. ``JobExists``), if any."""
    model = getattr(exc, "model", None)
    code = getattr(model, "code", None)
    if code:
        return str(code)
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None)
    return str(code) if code else None


def status_code(exc: BaseException) -> int | None:
    """The HTTP status of an ``HttpResponseError``, if any."""
    value = getattr(exc, "status_code", None)
    return int(value) if value is not None else None


def describe(exc: BaseException, action: str) -> BatchJobError:
    """Turn an azure-core error into a ``BatchJobError`` whose text fits on one line."""
    model: Any = getattr(exc, "model", None)
    code = error_code(exc)
    status = status_code(exc)
    message = None
    details: list[str] = []
    if model is not None:
        message = getattr(getattr(model, "message", None), "value", None)
        for detail in getattr(model, "error_values", None) or []:
            key, value = getattr(detail, "key", None), getattr(detail, "value", None)
            if key and key != "RequestId":
                details.append(f"{key}={value}")
    if not message:
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    first_line = str(message).strip().splitlines()[0] if str(message).strip() else ""
    parts = [f"{action} failed"]
    if code or status:
        parts.append(f"[{code or 'error'}{f' {status}' if status else ''}]")
    text = " ".join(parts) + f": {first_line}"
    if details:
        text += f" ({', '.join(details)})"
    return BatchJobError(text, code=code, status=status)


def install_concise_errors() -> None:
    """In the dynamic provider host, show a ``BatchJobError`` as its one line.

    The host reports any exception of a provider method as ``traceback.format_exc()``;
    for the errors we raise on purpose that text is the message alone. Called from the
    provider's ``configure``, which runs only inside the provider process.
    """
    if getattr(traceback.format_exc, "_concise_batch_errors", False):
        return
    original = traceback.format_exc

    def format_exc(limit: int | None = None, chain: bool = True) -> str:
        exc = sys.exc_info()[1]
        if isinstance(exc, BatchJobError):
            return str(exc)
        return original(limit, chain)

    format_exc._concise_batch_errors = True  # type: ignore[attr-defined]
    traceback.format_exc = format_exc
