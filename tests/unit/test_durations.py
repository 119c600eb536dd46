"""Durations are read and written exactly as azure-batch 15 reads and writes them, though a
program declaring jobs does so without importing azure-batch (``validation/_values.py``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from azure.batch.models import BatchTaskConstraints
from hypothesis import given
from hypothesis import strategies as st

from pulumi_azure_batch_jobs.validation._values import format_duration, parse_duration


def _sdk_parse(text: str) -> timedelta | None:
    parsed = BatchTaskConstraints({"maxWallClockTime": text}).max_wall_clock_time
    return parsed if isinstance(parsed, timedelta) else None


def _ours(text: str) -> timedelta | None:
    try:
        return parse_duration(text)
    except ValueError:
        return None


def _part(unit: str) -> st.SearchStrategy[str]:
    number = st.from_regex(r"\A[0-9]{1,7}([.,][0-9]{1,7})?\Z")
    return st.one_of(st.just(""), number.map(lambda n: n + unit))


#: Text in the SDK's first form, with every part optional, calendar units and stray
#: characters included, so matching, rejection and arithmetic are all compared.
_DURATION_TEXT = st.builds(
    lambda sign, date, t, time, tail: f"{sign}P{date}{t}{time}{tail}",
    st.sampled_from(["", "-", "+"]),
    st.tuples(_part("Y"), _part("M"), _part("W"), _part("D")).map("".join),
    st.sampled_from(["T", ""]),
    st.tuples(_part("H"), _part("M"), _part("S")).map("".join),
    st.sampled_from(["", "", "", "\n", "X", " "]),
)


@given(_DURATION_TEXT)
def test_text_is_read_as_the_sdk_reads_it(text: str) -> None:
    assert _ours(text) == _sdk_parse(text)


@given(st.text(max_size=30))
def test_any_other_text_is_read_as_the_sdk_reads_it(text: str) -> None:
    assert _ours(text) == _sdk_parse(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT5M", timedelta(minutes=5)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("PT0.5S", timedelta(milliseconds=500)),
        ("PT36H", timedelta(days=1, hours=12)),
        ("P1W", timedelta(days=7)),
    ],
)
def test_examples(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["P1Y", "P2M", "P", "P0001-00-01T00:00:00", "5 minutes", ""])
def test_calendar_units_and_non_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an ISO 8601 duration"):
        parse_duration(text)


@given(st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=1)))
def test_the_part_below_a_day_is_written_as_the_sdk_writes_it(value: timedelta) -> None:
    below = timedelta(seconds=value.seconds, microseconds=value.microseconds)
    if below:
        sdk = str(BatchTaskConstraints(max_wall_clock_time=below).as_dict()["maxWallClockTime"])
        assert format_duration(below) == sdk
    assert parse_duration(format_duration(value)) == value


def test_a_program_parses_and_writes_durations_without_azure_batch() -> None:
    import subprocess
    import sys

    script = (
        "import sys, datetime; from pulumi_azure_batch_jobs.validation._values import "
        "format_duration, parse_duration; "
        "assert format_duration(parse_duration('P2DT1H30M0.25S')) == 'P2DT01H30M00.25S'; "
        "print(sorted(m for m in sys.modules if m.startswith('azure.batch')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"
