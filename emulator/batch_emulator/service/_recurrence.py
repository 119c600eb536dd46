"""When a job schedule's jobs are due, as the spec's ``BatchJobScheduleConfiguration`` says.

Slot ``n`` of a schedule is due at ``anchor + n * recurrenceInterval`` (the anchor is
``doNotRunUntil``, or the time the schedule was set when it has none); without a
recurrence interval there is slot 0 only. A slot's job may be created from its due time
until its start window passes (the window never reaches into the next recurrence), and
never after ``doNotRunAfter``; a slot whose window passed is an opportunity lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from batch_emulator.clock import limit, parse_iso

__all__ = ["Recurrence"]


def _plus(moment: datetime, delta: timedelta) -> datetime | None:
    """``moment + delta``, or None (never) beyond the calendar."""
    try:
        return moment + delta
    except OverflowError:
        return None


@dataclass(frozen=True)
class Recurrence:
    """One schedule's timing: the first due time and the spec's three limits."""

    anchor: datetime
    interval: timedelta | None
    window: timedelta | None
    after: datetime | None

    @classmethod
    def of(cls, schedule: dict[str, Any], set_at: datetime) -> Recurrence:
        """The recurrence of a ``schedule`` element given (created, updated) at ``set_at``."""
        until = schedule.get("doNotRunUntil")
        after = schedule.get("doNotRunAfter")
        return cls(
            anchor=set_at if until is None else parse_iso(str(until)),
            interval=limit(schedule.get("recurrenceInterval")),
            window=limit(schedule.get("startWindow")),
            after=None if after is None else parse_iso(str(after)),
        )

    def due(self, slot: int) -> datetime | None:
        """When slot ``slot``'s job is due; None when there is no such slot (or it lies
        beyond the calendar)."""
        if self.interval is None:
            return self.anchor if slot == 0 else None
        try:
            when = self.anchor + slot * self.interval
        except OverflowError:
            return None
        return None if self.after is not None and when > self.after else when

    def closes(self, slot: int) -> datetime | None:
        """When slot ``slot``'s opportunity is lost (None: never, an infinite window)."""
        due = self.due(slot)
        if due is None:
            return None
        ends = [_plus(due, d) for d in (self.window, self.interval) if d is not None]
        if self.after is not None:
            ends.append(self.after)
        return min((end for end in ends if end is not None), default=None)

    def open_slot(self, slot: int, now: datetime) -> int:
        """The first slot from ``slot`` on whose opportunity is not lost at ``now``."""
        if self.interval is not None and now > self.anchor:
            slot = max(slot, int((now - self.anchor) / self.interval))
        while True:
            closes = self.closes(slot)
            if closes is None or now < closes or self.due(slot) is None:
                return slot
            slot += 1

    def ended(self, slot: int, now: datetime) -> bool:
        """No job will ever be created from ``slot`` on, and the schedule may complete:
        its one job is done (or lost), or ``doNotRunAfter`` passed."""
        if self.due(slot) is not None and (self.after is None or now <= self.after):
            return False
        return self.interval is None or (self.after is not None and now >= self.after)

    def first_after(self, moment: datetime) -> int:
        """The first slot due after ``moment`` (a job already created then): a changed
        schedule never repeats a recurrence."""
        if moment < self.anchor:
            return 0
        if self.interval is None:
            return 1
        return int((moment - self.anchor) / self.interval) + 1
