"""Leaf values: unknown-value detection, ISO 8601 durations (as azure-batch 15 reads and writes
them) and date-times, rendering."""

from __future__ import annotations

import re
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


#: The duration form azure-batch 15's parser (isodate's ``parse_duration``) tries first, and
#: the only one Batch writes: ``[+-]P[nY][nM][nW][nD][T[nH][nM][nS]]``, any number with a
#: fraction. Text in this form is read here as the SDK reads it, so a program declaring jobs
#: needs no azure-batch import (tests/unit/test_durations.py compares both on generated text).
_PERIOD = re.compile(
    r"^(?P<sign>[+-])?P(?!\b)"
    r"(?P<years>[0-9]+([,.][0-9]+)?Y)?(?P<months>[0-9]+([,.][0-9]+)?M)?"
    r"(?P<weeks>[0-9]+([,.][0-9]+)?W)?(?P<days>[0-9]+([,.][0-9]+)?D)?"
    r"((?P<separator>T)(?P<hours>[0-9]+([,.][0-9]+)?H)?"
    r"(?P<minutes>[0-9]+([,.][0-9]+)?M)?(?P<seconds>[0-9]+([,.][0-9]+)?S)?)?$"
)


def format_duration(value: timedelta) -> str:
    """ISO 8601 text for a timedelta, as azure-batch 15 sends it.

    The SDK spells zero as ``P`` and negatives as ``P-1D`` (neither is ISO 8601), and goes
    through float seconds, which loses microseconds on long durations (such as the service's
    "unlimited" ``P10675199DT2H48M5.4775807S``); so the part below one day is written as the
    SDK writes it, and whole days are prefixed here.
    """
    if not value:
        return "PT0S"
    if value < timedelta(0):
        return "-" + format_duration(-value)
    time_part = _sdk_time_part(timedelta(seconds=value.seconds, microseconds=value.microseconds))
    return f"P{value.days}D{time_part}" if value.days else f"P{time_part}"


def _sdk_time_part(below_a_day: timedelta) -> str:
    """``T..H..M..S`` for a duration under one day, digit for digit as azure-batch 15's
    serializer writes it (two-digit fields, up to six fraction digits); "" for zero."""
    seconds = below_a_day.total_seconds()
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    whole_hours, whole_minutes = int(hours), int(minutes)
    seconds = round(seconds, 6)
    if not (whole_hours or whole_minutes or seconds):
        return ""
    text = "T"
    if whole_hours:
        text += f"{whole_hours:02}H"
    if whole_hours or whole_minutes:
        text += f"{whole_minutes:02}M"
    if seconds.is_integer():
        return f"{text}{int(seconds):02}S"
    return f"{text}{f'{seconds:09.6f}'.rstrip('0')}S"


def parse_duration(value: str | timedelta) -> timedelta:
    """A timedelta from ISO 8601 text, read as azure-batch 15 reads it; ValueError if it is
    not one."""
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 duration string, got {type(value).__name__}")
    parsed: object = _parse_period(value)
    if parsed is None:  # another form, calendar units or an error: as the SDK decides
        from azure.batch.models import BatchTaskConstraints  # a heavy import

        parsed = BatchTaskConstraints({"maxWallClockTime": value}).max_wall_clock_time
    if not isinstance(parsed, timedelta):
        # The SDK hands back the raw text when it cannot parse it, and an isodate.Duration for
        # calendar units (years, months) that have no fixed length.
        raise ValueError(f"{value!r} is not an ISO 8601 duration in days, hours, minutes, seconds")
    return parsed


def _parse_period(text: str) -> timedelta | None:
    """``text`` in ``_PERIOD``'s form without calendar units, computed as isodate computes it
    (float parts into a timedelta); None for any other text."""
    match = _PERIOD.match(text)
    if match is None:
        return None
    parts = {
        name: float(found[:-1].replace(",", ".")) if found else 0.0
        for name, found in match.groupdict().items()
        if name not in ("sign", "separator")
    }
    calendar = parts.pop("years"), parts.pop("months")
    if any(calendar):  # no fixed length: the SDK's answer is not a timedelta
        return None
    try:
        parsed = timedelta(**parts)
    except OverflowError:
        return None
    return -parsed if match["sign"] == "-" else parsed


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
