"""Primitive plan-time checks over plain values (Batch's documented rules).

Every check takes the value and its field path, appends :class:`ValidationError` s to a list, and
skips values that are not known yet (Outputs, the engine's unknown placeholder).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from ._errors import ValidationError
from ._values import is_unknown, parse_datetime, parse_duration

__all__ = [
    "ID_MAX_LENGTH",
    "Errors",
    "at",
    "check_bool",
    "check_datetime",
    "check_display_name",
    "check_duration",
    "check_enum",
    "check_id",
    "check_int",
    "check_list",
    "check_mapping",
    "check_required_mapping",
    "check_required_text",
    "check_text",
    "known",
]

Errors = list[ValidationError]
ID_MAX_LENGTH = 64
DISPLAY_NAME_MAX_LENGTH = 1024
_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


def at(path: str, name: str | int) -> str:
    """The path of a child: ``a.b`` for a name, ``a[3]`` for an index."""
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def known(value: Any) -> bool:
    """Present and known at plan time."""
    return value is not None and not is_unknown(value)


def check_mapping(errors: Errors, path: str, value: Any) -> Mapping[str, Any] | None:
    """The value if it is an object to look into; reports anything else."""
    if not known(value):
        return None
    if isinstance(value, Mapping):
        return value
    errors.append(ValidationError(path, "must be an object", value))
    return None


def check_required_mapping(errors: Errors, path: str, value: Any) -> Mapping[str, Any] | None:
    """A required object: reports it missing, or not an object."""
    if value is None:
        errors.append(ValidationError(path, "is required", None))
        return None
    return check_mapping(errors, path, value)


def check_list(errors: Errors, path: str, value: Any) -> list[Any] | None:
    """The value if it is a list; reports anything else."""
    if not known(value):
        return None
    if isinstance(value, list | tuple):
        return list(value)
    errors.append(ValidationError(path, "must be a list", value))
    return None


def check_text(
    errors: Errors, path: str, value: Any, *, max_length: int | None = None
) -> str | None:
    """A known string, optionally bounded in length."""
    if not known(value):
        return None
    if not isinstance(value, str):
        errors.append(ValidationError(path, "must be a string", value))
        return None
    if max_length is not None and len(value) > max_length:
        errors.append(ValidationError(path, f"must be at most {max_length} characters long", value))
    return value


def check_required_text(errors: Errors, path: str, value: Any) -> str | None:
    """A required, non-blank string."""
    if value is None:
        errors.append(ValidationError(path, "is required", value))
        return None
    text = check_text(errors, path, value)
    if text is not None and not text.strip():
        errors.append(ValidationError(path, "must not be empty", value))
        return None
    return text


def check_id(errors: Errors, path: str, value: Any, *, required: bool = True) -> str | None:
    """A Batch id: 1-64 letters, digits, hyphens and underscores."""
    if value is None:
        if required:
            errors.append(ValidationError(path, "is required", value))
        return None
    text = check_text(errors, path, value)
    if text is None:
        return None
    if not text:
        errors.append(ValidationError(path, "must not be empty", value))
    elif len(text) > ID_MAX_LENGTH:
        errors.append(
            ValidationError(path, f"must be at most {ID_MAX_LENGTH} characters long", value)
        )
    elif not _ID_PATTERN.fullmatch(text):
        errors.append(
            ValidationError(
                path, "may contain only letters, digits, hyphens and underscores", value
            )
        )
    else:
        return text
    return None


def check_display_name(errors: Errors, path: str, value: Any) -> None:
    """Any Unicode text up to 1024 characters."""
    check_text(errors, path, value, max_length=DISPLAY_NAME_MAX_LENGTH)


def check_int(
    errors: Errors,
    path: str,
    value: Any,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    allowed: Iterable[int] = (),
    words: str = "",
) -> int | None:
    """A known integer within [minimum, maximum] or one of ``allowed``; ``words`` says the rule."""
    if not known(value):
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        errors.append(ValidationError(path, "must be an integer", value))
        return None
    if value in set(allowed):
        return value
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        errors.append(ValidationError(path, words or _range_words(minimum, maximum), value))
        return None
    return value


def _range_words(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"must be between {minimum} and {maximum}"
    if minimum is not None:
        return f"must be at least {minimum}"
    return f"must be at most {maximum}"


def check_bool(errors: Errors, path: str, value: Any) -> bool | None:
    """A known boolean."""
    if not known(value):
        return None
    if not isinstance(value, bool):
        errors.append(ValidationError(path, "must be true or false", value))
        return None
    return value


def check_enum(
    errors: Errors, path: str, value: Any, enum: type[Enum], *, exclude: Iterable[str] = ()
) -> str | None:
    """One of the enum's values (case-insensitive, as Batch accepts them)."""
    if not known(value):
        return None
    if isinstance(value, Enum):
        value = value.value
    allowed = [str(m.value) for m in enum if str(m.value) not in set(exclude)]
    if isinstance(value, str):
        for choice in allowed:
            if choice.lower() == value.lower():
                return choice
    errors.append(ValidationError(path, "must be one of " + ", ".join(allowed), value))
    return None


def _words(value: timedelta) -> str:
    minutes, seconds = divmod(int(value.total_seconds()), 60)
    if seconds or value.microseconds or not minutes:
        return str(value)
    return f"{minutes} minute" + ("s" if minutes != 1 else "")


def check_duration(
    errors: Errors,
    path: str,
    value: Any,
    *,
    maximum: timedelta | None = None,
    minimum: timedelta | None = None,
) -> timedelta | None:
    """A positive duration (timedelta or ISO 8601 text), optionally bounded."""
    if not known(value):
        return None
    try:
        duration = parse_duration(value)
    except ValueError:
        errors.append(
            ValidationError(path, "must be a duration (timedelta or ISO 8601 text)", value)
        )
        return None
    if duration <= timedelta(0):
        errors.append(ValidationError(path, "must be a positive duration", duration))
        return None
    if maximum is not None and duration > maximum:
        errors.append(ValidationError(path, f"must be at most {_words(maximum)}", duration))
        return None
    if minimum is not None and duration < minimum:
        errors.append(ValidationError(path, f"must be at least {_words(minimum)}", duration))
        return None
    return duration


def check_datetime(errors: Errors, path: str, value: Any) -> datetime | None:
    """A date-time (datetime or ISO 8601 text; UTC when it names no offset)."""
    if not known(value):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        errors.append(
            ValidationError(path, "must be a date-time (datetime or ISO 8601 text)", value)
        )
        return None
