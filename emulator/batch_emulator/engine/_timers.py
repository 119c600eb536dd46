"""Deadlines in emulated time, fired by one thread that waits (never polls)."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable
from datetime import datetime

from batch_emulator.engine._clock import EngineClock

__all__ = ["Timer", "Timers"]

_log = logging.getLogger(__name__)


class Timer:
    """A scheduled action; :meth:`cancel` stops it from firing."""

    def __init__(self, when: datetime, action: Callable[[], None]) -> None:
        self.when = when
        self.action = action
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Timers:
    """Runs actions when the engine clock reaches their time, even after a clock jump."""

    def __init__(self, clock: EngineClock) -> None:
        self._clock = clock
        self._heap: list[tuple[datetime, int, Timer]] = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="engine-timers", daemon=True)
        clock.subscribe(self._poke)
        self._thread.start()

    def at(self, when: datetime, action: Callable[[], None]) -> Timer:
        timer = Timer(when, action)
        with self._cond:
            heapq.heappush(self._heap, (when, next(self._order), timer))
            self._cond.notify()
        return timer

    def _poke(self) -> None:
        with self._cond:
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._cond:
                due = self._next_due()
                if self._stopped:
                    return
                if due is None:
                    continue
            if not due.cancelled:
                try:
                    due.action()
                except Exception:  # a failing action must not stop every later timer
                    _log.exception("engine timer action failed")

    def _next_due(self) -> Timer | None:
        """Wait (holding the condition) until a timer is due or something changes."""
        while self._heap and self._heap[0][2].cancelled:
            heapq.heappop(self._heap)
        if not self._heap:
            self._cond.wait()
            return None
        remaining = self._heap[0][0] - self._clock.now()
        if remaining.total_seconds() > 0:
            self._cond.wait(self._clock.real_seconds(remaining))
            return None
        return heapq.heappop(self._heap)[2]
