"""The job schedule's timing rules (``service/_recurrence.py``) and state table, as pure
functions: due times, start windows that never reach into the next recurrence, lost
opportunities, ``doNotRunAfter`` and the one-job schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from batch_emulator.service import states
from batch_emulator.service._recurrence import Recurrence

T0 = datetime(2030, 1, 1, tzinfo=UTC)
MIN = timedelta(minutes=1)


def _at(minutes: float) -> datetime:
    return T0 + minutes * MIN


def test_recurring_slots_and_their_windows() -> None:
    timing = Recurrence.of({"recurrenceInterval": "PT10M", "startWindow": "PT2M"}, T0)
    assert [timing.due(n) for n in range(3)] == [_at(0), _at(10), _at(20)]
    assert timing.closes(1) == _at(12)
    assert timing.open_slot(0, _at(1)) == 0
    assert timing.open_slot(0, _at(11)) == 1
    assert timing.open_slot(0, _at(13)) == 2  # slot 1's opportunity is lost
    assert timing.open_slot(0, _at(10_000 + 1)) == 1000  # a long jump: no slot by slot walk


def test_a_window_longer_than_the_interval_is_capped_by_it() -> None:
    timing = Recurrence.of({"recurrenceInterval": "PT10M", "startWindow": "PT1H"}, T0)
    assert timing.closes(0) == _at(10)


def test_do_not_run_until_and_after() -> None:
    schedule = {
        "doNotRunUntil": "2030-01-01T01:00:00Z",
        "doNotRunAfter": "2030-01-01T01:25:00Z",
        "recurrenceInterval": "PT10M",
    }
    timing = Recurrence.of(schedule, T0)
    assert timing.due(0) == _at(60)
    assert timing.due(2) == _at(80) and timing.due(3) is None
    assert not timing.ended(3, _at(84))  # completes only once doNotRunAfter passed
    assert timing.ended(3, _at(85))
    assert timing.open_slot(2, _at(86)) == 3  # no job after doNotRunAfter


def test_without_recurrence_one_slot_and_an_infinite_window() -> None:
    timing = Recurrence.of({}, T0)
    assert timing.due(0) == T0 and timing.due(1) is None
    assert timing.closes(0) is None
    assert timing.open_slot(0, _at(10**6)) == 0
    assert timing.ended(1, T0) and not timing.ended(0, T0)


def test_a_changed_schedule_starts_after_the_last_job() -> None:
    timing = Recurrence.of({"recurrenceInterval": "PT10M"}, T0)
    assert timing.first_after(_at(10)) == 2
    assert timing.first_after(_at(-1)) == 0
    assert Recurrence.of({}, T0).first_after(T0) == 1


def test_the_schedule_state_table() -> None:
    table = states.JOB_SCHEDULE
    assert set(table) == {"active", "disabled", "terminating", "completed", "deleting"}
    assert "completed" in table["active"]  # by itself: doNotRunAfter, or its one job done
    assert table["terminating"] == {"completed", "deleting"}
    assert table["deleting"] == frozenset()
    assert all("deleting" in targets for state, targets in table.items() if state != "deleting")


def test_times_beyond_the_calendar_are_never() -> None:
    schedule = {"doNotRunUntil": "9999-12-31T00:00:00Z", "recurrenceInterval": "P3650D"}
    timing = Recurrence.of({**schedule, "startWindow": "P3650D"}, T0)
    assert timing.due(1) is None and timing.closes(0) is None
    assert timing.open_slot(0, T0) == 0
