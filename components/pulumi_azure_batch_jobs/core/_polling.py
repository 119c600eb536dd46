"""How often a bounded wait polls the service: often at first, then less."""

from __future__ import annotations

#: The shortest and the longest pause between two polls, in seconds.
POLL_MIN_SECONDS = 0.2
POLL_MAX_SECONDS = 5.0


def poll_interval(waited: float) -> float:
    """Seconds to pause after ``waited`` seconds of waiting: a tenth of it, within the
    bounds. A short wait ends a fraction of a second after the service is done; a long
    one costs few requests."""
    return min(max(waited / 10, POLL_MIN_SECONDS), POLL_MAX_SECONDS)
