"""Job schedules' wake-ups: one timer per schedule on the engine clock. When one fires,
the service's ``run_job_schedule`` decides what is due and asks for the next wake-up."""

from __future__ import annotations

import threading
from datetime import datetime

from batch_emulator.engine._timers import Timer, Timers
from batch_emulator.protocols import ScheduleVerbs

__all__ = ["Recurrences"]


class Recurrences:
    """The pending wake-up of each job schedule; without ``timers`` (an engine with no
    clock of its own) schedules move only when the service does something."""

    def __init__(self, timers: Timers | None) -> None:
        self._timers = timers
        self._runtime: ScheduleVerbs | None = None
        self._lock = threading.Lock()
        self._pending: dict[str, Timer] = {}

    def attach(self, runtime: ScheduleVerbs) -> None:
        self._runtime = runtime

    def due(self, schedule_id: str, when: datetime | None) -> None:
        """Wake the schedule at ``when`` (None: never), replacing an earlier wake-up."""
        runtime, timers = self._runtime, self._timers
        with self._lock:
            old = self._pending.pop(schedule_id.lower(), None)
            if old is not None:
                old.cancel()
            if when is None or timers is None or runtime is None:
                return
            self._pending[schedule_id.lower()] = timers.at(
                when, lambda: runtime.run_job_schedule(schedule_id)
            )

    def clear(self) -> None:
        with self._lock:
            for timer in self._pending.values():
                timer.cancel()
            self._pending.clear()
