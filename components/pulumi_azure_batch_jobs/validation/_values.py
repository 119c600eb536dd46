"""Leaf values: unknown-value detection, ISO 8601 durations (via azure-batch 15) and date-times,
rendering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import pulumi
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN as _ENGINE_UNKNOWN

__all__ = [
    "canonical_enum",
    "coerce_scalar",
    "format_datetime",
    "format_duration",
    "is_unknown",
    "parse_datetime",
    "parse_duration",
    "render_value",
]


def is_unknown(value: Any) -> bool:
    """True for values not known at plan time: Outputs, awaitables and the engine's placeholder."""
    if isinstance(value, pulumi.Output | Unknown):
        # ``Unknown`` is how the dynamic provider host hands unresolved values to check().
        return True
    if isinstance(value, str):
        return value == _ENGINE_UNKNOWN
    return hasattr(value, "__await__")


def format_duration(value: timedelta) -> str:
    """ISO 8601 text for a timedelta, as azure-batch 15 sends it.

    The SDK spells zero as ``P`` and negatives as ``P-1D`` (neither is ISO 8601), and goes
    through float seconds, which loses microseconds on long durations (such as the service's
    "unlimited" ``P10675199DT2H48M5.4775807S``); so the SDK formats the part below one day and
    whole days are prefixed here.
    """
    if not value:
        return "PT0S"
    if value < timedelta(0):
        return "-" + format_duration(-value)
    below_a_day = timedelta(seconds=value.seconds, microseconds=value.microseconds)
    time_part = ""
    if below_a_day:
        from azure.batch.models import BatchTaskConstraints  # on first use: a heavy import

        sdk_text = BatchTaskConstraints(max_wall_clock_time=below_a_day).as_dict()
        time_part = str(sdk_text["maxWallClockTime"]).removeprefix("P")
    return f"P{value.days}D{time_part}" if value.days else f"P{time_part}"


def parse_duration(value: str | timedelta) -> timedelta:
    """A timedelta from ISO 8601 text, parsed by azure-batch 15; ValueError if it is not one."""
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 duration string, got {type(value).__name__}")
    from azure.batch.models import BatchTaskConstraints  # on first use: a heavy import

    parsed = BatchTaskConstraints({"maxWallClockTime": value}).max_wall_clock_time
    if not isinstance(parsed, timedelta):
        # The SDK hands back the raw text when it cannot parse it, and an isodate.Duration for
        # calendar units (years, months) that have no fixed length.
        raise ValueError(f"{value!r} is not an ISO 8601 duration in days, hours, minutes, seconds")
    return parsed


def parse_datetime(value: str | datetime) -> datetime:
    """An aware UTC datetime from ISO 8601 text (``Z`` or an offset; none means UTC) or a
    datetime; ValueError if it is not one."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date-time") from None
    if not isinstance(value, datetime):
        raise ValueError(f"expected an ISO 8601 date-time string, got {type(value).__name__}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    """ISO 8601 UTC text for a datetime, as azure-batch 15 sends it (``...Z``)."""
    text = parse_datetime(value).isoformat()
    return text.removesuffix("+00:00") + "Z"


def render_value(value: Any) -> str:
    """The offending value as a user reads it in an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, datetime):
        return format_datetime(value)
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def canonical_enum(enum: type[Enum] | None, value: str) -> str:
    """The enum's own spelling of a value Batch accepts case-insensitively; others unchanged."""
    for member in enum or ():
        if str(member.value).lower() == value.lower():
            return str(member.value)
    return value


_KIND_WORDS = {
    "str": "a string",
    "int": "an integer",
    "bool": "true or false",
    "duration": "an ISO 8601 duration",
    "datetime": "an ISO 8601 date-time",
}


def coerce_scalar(kind: str, value: Any) -> Any:
    """A str, int, bool, timedelta or datetime from JSON input, as leniently as msrest; else
    ValueError."""
    bad = ValueError(f"expected {_KIND_WORDS[kind]}, got {render_value(value)}")
    if kind == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float):
            return str(value)
        raise bad
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                raise bad from None
        raise bad
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise bad
    if kind == "duration":
        return parse_duration(value)
    if kind == "datetime":
        return parse_datetime(value)
    raise AssertionError(kind)
