"""Time for the emulator: an injectable clock and the wire formats Batch uses for time."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Protocol

__all__ = [
    "MAX_DURATION",
    "Clock",
    "ETagSource",
    "ManualClock",
    "SystemClock",
    "format_duration",
    "iso",
    "limit",
    "parse_duration",
    "parse_http_date",
    "parse_iso",
    "rfc1123",
]

#: .NET TimeSpan.MaxValue, what Batch reports for "no limit".
MAX_DURATION = "P10675199DT2H48M5.4775807S"


class Clock(Protocol):
    """Source of the current time (UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock tests move by hand, so retention and wall-clock limits run quickly."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2025, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class ETagSource:
    """Strictly increasing ETags shaped like Batch's (``0x8D...``)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last = 0
        self._lock = threading.Lock()

    def next(self, now: datetime | None = None) -> str:
        """The next ETag; ``now``, when given, is the clock's current time."""
        moment = self._clock.now() if now is None else now
        ticks = int(moment.timestamp() * 10_000_000) + 0x8D000000000000
        with self._lock:
            self._last = max(self._last + 1, ticks)
            return f"0x{self._last:X}"


#: The last moment :func:`iso` formatted, and its text: one reading of the clock is
#: often written into several fields (transition time, start time, last modified).
_last_iso: tuple[datetime, str] = (datetime.min, "")


def iso(moment: datetime) -> str:
    """ISO 8601 UTC with a ``Z`` suffix, as Batch writes times in bodies."""
    global _last_iso  # a one-entry cache; the tuple is swapped atomically
    last = _last_iso
    if last[0] is moment:
        return last[1]
    utc = moment if moment.tzinfo is UTC else moment.astimezone(UTC)
    text = utc.isoformat(timespec="microseconds")[:-6] + "Z"
    _last_iso = (moment, text)
    return text


def parse_iso(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def rfc1123(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def parse_http_date(text: str) -> datetime | None:
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_DURATION = re.compile(
    r"^P(?!$)(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> timedelta | None:
    """Parse an ISO 8601 duration (``P1DT2H3M4.5S``); None when malformed."""
    match = _DURATION.match(text.strip().upper())
    if match is None:
        return None
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    days = parts["y"] * 365 + parts["mo"] * 30 + parts["w"] * 7 + parts["d"]
    try:
        return timedelta(days=days, hours=parts["h"], minutes=parts["mi"], seconds=parts["s"])
    except OverflowError:
        return None


#: Durations beyond this mean "no limit" (Batch reports TimeSpan.MaxValue).
_NO_LIMIT = timedelta(days=365 * 100)


def limit(text: object) -> timedelta | None:
    """A Batch duration used as a limit; None when absent or effectively unlimited."""
    if text is None:
        return None
    delta = parse_duration(str(text))
    return None if delta is None or delta >= _NO_LIMIT else delta


def format_duration(delta: timedelta) -> str:
    total = delta.total_seconds()
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    out = "P" + (f"{int(days)}D" if days else "")
    clock = ""
    if hours:
        clock += f"{int(hours)}H"
    if minutes:
        clock += f"{int(minutes)}M"
    if seconds or not (days or clock):
        clock += f"{seconds:g}S"
    return out + ("T" + clock if clock else "")
