"""Emulated time the engine can speed up or jump, so 15-minute and 7-day limits test fast."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from batch_emulator.clock import limit

__all__ = ["EngineClock", "limit"]


class EngineClock:
    """Real time multiplied by ``scale``, plus whatever :meth:`advance` added.

    It is the account's clock (timestamps in bodies) and the engine's (deadlines), so
    both agree. Listeners hear about jumps and re-arm their timers.
    """

    def __init__(self, scale: float = 1.0) -> None:
        if scale <= 0:
            raise ValueError("time scale must be positive")
        self.scale = scale
        self._origin = datetime.now(UTC)
        self._origin_real = time.monotonic()
        self._offset = timedelta(0)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        elapsed = (time.monotonic() - self._origin_real) * self.scale
        return self._origin + timedelta(seconds=elapsed) + self._offset

    def advance(self, delta: timedelta) -> None:
        """Jump forward (never back) and tell every listener."""
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += delta
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    def real_seconds(self, delta: timedelta) -> float:
        """How long to wait in real time for ``delta`` of emulated time to pass."""
        return max(0.0, delta.total_seconds() / self.scale)

    def subscribe(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._listeners.append(listener)
