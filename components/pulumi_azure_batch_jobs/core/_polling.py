"""How a bounded wait polls the service: often at first, then less."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar

#: The shortest and the longest pause between two polls, in seconds.
POLL_MIN_SECONDS = 0.2
POLL_MAX_SECONDS = 5.0

T = TypeVar("T")


def poll_interval(waited: float) -> float:
    """Seconds to pause after ``waited`` seconds of waiting: a tenth of it, within the
    bounds. A short wait ends a fraction of a second after the service is done; a long
    one costs few requests."""
    return min(max(waited / 10, POLL_MIN_SECONDS), POLL_MAX_SECONDS)


def wait_while(
    read: Callable[[], T | None],
    busy: Callable[[T], bool],
    *,
    timeout: float,
    report: Callable[[], None],
    timed_out: Callable[[], Exception],
) -> None:
    """Read until the resource is gone (None) or no longer ``busy``, at ``poll_interval``;
    ``report`` progress at most every ``POLL_MAX_SECONDS``; raise ``timed_out()`` once
    ``timeout`` seconds have passed."""
    began = time.monotonic()
    reported = -math.inf
    while True:
        value = read()
        if value is None or not busy(value):
            return
        now = time.monotonic()
        if now - began >= timeout:
            raise timed_out()
        if now - reported >= POLL_MAX_SECONDS:
            report()
            reported = now
        time.sleep(min(poll_interval(now - began), began + timeout - now))
