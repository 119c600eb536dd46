"""Batch-shaped errors: one exception type, serialised as the service serialises errors."""

from __future__ import annotations

from typing import Any

__all__ = [
    "BatchError",
    "busy",
    "condition_not_met",
    "invalid_body",
    "invalid_property",
    "invalid_query",
    "invalid_state",
    "missing_property",
    "not_found",
    "resource_exists",
]


class BatchError(Exception):
    """An error answered to the client as ``{code, message: {lang, value}, values}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        values: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.values = dict(values or {})
        self.headers = dict(headers or {})

    def body(self, metadata_base: str, request_id: str, time: str) -> dict[str, Any]:
        """The JSON body the service sends for this error."""
        body: dict[str, Any] = {
            "odata.metadata": (
                f"{metadata_base}/$metadata#Microsoft.Azure.Batch.Protocol.Entities."
                "Container.errors/@Element"
            ),
            "code": self.code,
            "message": {
                "lang": "en-US",
                "value": f"{self.message}\nRequestId:{request_id}\nTime:{time}",
            },
        }
        if self.values:
            body["values"] = [{"key": k, "value": v} for k, v in self.values.items()]
        return body


#: The message of each 400 the request checks answer, by error code.
_BAD_REQUEST = {
    "MissingRequiredProperty": "A required property was not specified in the request body.",
    "InvalidPropertyValue": (
        "The value provided for one of the properties in the request body is invalid."
    ),
    "InvalidRequestBody": "The specified Request Body is not syntactically valid.",
    "InvalidQueryParameterValue": (
        "Value for one of the query parameters specified in the request URI is invalid."
    ),
}


def _bad_request(code: str, values: dict[str, str]) -> BatchError:
    return BatchError(400, code, _BAD_REQUEST[code], values)


def missing_property(name: str) -> BatchError:
    return _bad_request("MissingRequiredProperty", {"PropertyName": name})


def invalid_property(name: str, value: object, reason: str) -> BatchError:
    values = {"PropertyName": name, "PropertyValue": _short(value), "Reason": reason}
    return _bad_request("InvalidPropertyValue", values)


def invalid_body(reason: str) -> BatchError:
    return _bad_request("InvalidRequestBody", {"Reason": reason})


def invalid_query(name: str, value: str, reason: str) -> BatchError:
    values = {"QueryParameterName": name, "QueryParameterValue": value, "Reason": reason}
    return _bad_request("InvalidQueryParameterValue", values)


_NOT_FOUND = {
    "job": ("JobNotFound", "The specified job does not exist."),
    "task": ("TaskNotFound", "The specified task does not exist."),
    "pool": ("PoolNotFound", "The specified pool does not exist."),
    "jobschedule": ("JobScheduleNotFound", "The specified job schedule does not exist."),
    "node": ("NodeNotFound", "The specified node does not exist."),
    "file": ("FileNotFound", "The specified file does not exist."),
}
_EXISTS = {
    "job": ("JobExists", "The specified job already exists."),
    "task": ("TaskExists", "The specified task already exists."),
    "pool": ("PoolExists", "The specified pool already exists."),
    "jobschedule": ("JobScheduleExists", "The specified job schedule already exists."),
}


def not_found(kind: str) -> BatchError:
    code, message = _NOT_FOUND[kind]
    return BatchError(404, code, message)


def resource_exists(kind: str) -> BatchError:
    code, message = _EXISTS[kind]
    return BatchError(409, code, message)


#: A job's or job schedule's state that refuses changes: code suffix, what the message says.
_BUSY = {
    "completed": ("Completed", "is already in a completed state"),
    "deleting": ("BeingDeleted", "has been marked for deletion"),
    "terminating": ("BeingTerminated", "is being terminated"),
}
_BUSY_KINDS = {"job": ("Job", "job"), "jobschedule": ("JobSchedule", "job schedule")}


def busy(kind: str, state: str) -> BatchError | None:
    """The 409 Batch answers for changing a job or job schedule (``kind``) that is
    completed, deleting or terminating; None in any other state."""
    if state not in _BUSY:
        return None
    prefix, noun = _BUSY_KINDS[kind]
    suffix, text = _BUSY[state]
    return BatchError(409, prefix + suffix, f"The specified {noun} {text}.")


def invalid_state(kind: str, state: str, verb: str) -> BatchError:
    """The 409 for a verb (``updated``, ``enabled``, ...) a job's or job schedule's state
    does not allow: :func:`busy`'s, or ``OperationInvalidForCurrentState``."""
    noun = _BUSY_KINDS[kind][1]
    return busy(kind, state) or BatchError(
        409,
        "OperationInvalidForCurrentState",
        f"The {noun} cannot be {verb} while it is {state}.",
    )


def condition_not_met() -> BatchError:
    return BatchError(
        412,
        "ConditionNotMet",
        "The condition specified using HTTP conditional header(s) is not met.",
    )


def _short(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 200 else text[:197] + "..."
