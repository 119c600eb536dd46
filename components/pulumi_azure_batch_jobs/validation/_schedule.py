"""Validation of a job schedule: its schedule, its jobs' specification (the job's rules) and
the rules that span them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from ._common import validate_metadata
from ._errors import ValidationError
from ._job import check_distinct_ids, validate_job_fields
from ._rules import (
    Errors,
    at,
    check_datetime,
    check_display_name,
    check_duration,
    check_id,
    check_required_mapping,
)

__all__ = [
    "MIN_INTERVAL",
    "validate_job_schedule_plain",
    "validate_job_specification",
    "validate_schedule",
]

#: Batch rejects a start window or recurrence interval below one minute (400).
MIN_INTERVAL = timedelta(minutes=1)


def validate_schedule(
    errors: Errors, path: str, value: Any, *, now: datetime | None = None
) -> None:
    """Date-times, the two intervals at least a minute, ``do_not_run_after`` after
    ``do_not_run_until`` and, with ``now``, not before it: such a schedule can never create
    a job (Batch would accept it and complete it at once)."""
    schedule = check_required_mapping(errors, path, value)
    if schedule is None:
        return
    until = check_datetime(errors, at(path, "do_not_run_until"), schedule.get("do_not_run_until"))
    after = check_datetime(errors, at(path, "do_not_run_after"), schedule.get("do_not_run_after"))
    for name in ("start_window", "recurrence_interval"):
        check_duration(errors, at(path, name), schedule.get(name), minimum=MIN_INTERVAL)
    if until is not None and after is not None and after <= until:
        errors.append(
            ValidationError(
                at(path, "do_not_run_after"),
                "must be after do_not_run_until (the schedule could never create a job)",
                schedule.get("do_not_run_after"),
            )
        )
    elif after is not None and now is not None and after <= now:
        errors.append(
            ValidationError(
                at(path, "do_not_run_after"),
                "is in the past (the schedule could never create a job)",
                schedule.get("do_not_run_after"),
            )
        )


def validate_job_specification(errors: Errors, path: str, value: Any) -> None:
    """The job's rules, for every job the schedule creates (no id, no initial tasks)."""
    spec = check_required_mapping(errors, path, value)
    if spec is None:
        return
    found: Errors = []
    validate_job_fields(found, spec, schedule=True)
    check_distinct_ids(found, spec)
    errors.extend(ValidationError(at(path, e.path), e.message, e.value) for e in found)


def validate_job_schedule_plain(
    errors: Errors, schedule: Mapping[str, Any], *, now: datetime | None = None
) -> None:
    """Every plan-time rule of a job schedule given as an attribute-keyed plain mapping;
    ``now`` (when given) flags a ``do_not_run_after`` in the past."""
    check_id(errors, "id", schedule.get("id"))
    check_display_name(errors, "display_name", schedule.get("display_name"))
    validate_schedule(errors, "schedule", schedule.get("schedule"), now=now)
    validate_job_specification(errors, "job_specification", schedule.get("job_specification"))
    validate_metadata(errors, "metadata", schedule.get("metadata"))
