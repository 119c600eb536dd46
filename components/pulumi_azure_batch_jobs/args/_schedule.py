"""A job schedule's arguments: when it creates jobs (:class:`Schedule`) and what they are
(``JobSpecification``, the job's own argument types), and :class:`BatchJobScheduleArgs`.

``BatchJobScheduleArgs`` uses Batch's ``id`` for the schedule id (as the REST model does);
the resource exposes it as ``schedule_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any

import pulumi

from ..validation import _schedule as rules
from ..validation._errors import ValidationError
from ._common import Duration, MetadataItem
from ._dicts import JobSpecificationDict, MetadataItemDict, ScheduleDict
from ._errors import DeserializationError, SerializationError
from ._fields import Doc
from ._job import JobSpecification
from ._model import BatchModel

__all__ = [
    "BatchJobScheduleArgs",
    "Schedule",
    "job_schedule_create_request",
    "validate_job_schedule",
]


class Schedule(BatchModel, sdk="BatchJobScheduleConfiguration", rules=rules.validate_schedule):
    """When the schedule creates jobs (UTC): from ``do_not_run_until`` every
    ``recurrence_interval``, each within ``start_window`` of its due time, until
    ``do_not_run_after``; at most one active job at a time. Without a recurrence interval the
    schedule creates one job."""

    do_not_run_until: Annotated[
        pulumi.Input[datetime] | None,
        Doc("a date-time; default: now (the first job is due at once)"),
    ] = None
    do_not_run_after: Annotated[
        pulumi.Input[datetime] | None,
        Doc(
            "a date-time after `do_not_run_until`; when set or changed, not in the past "
            "(the schedule could never create a job)"
        ),
    ] = None
    start_window: Annotated[
        Duration | None,
        Doc("at least 1 minute; a job not created within it of its due time is skipped"),
    ] = None
    recurrence_interval: Annotated[
        Duration | None, Doc("at least 1 minute; unset: the schedule creates one job")
    ] = None


def _validate_job_schedule(errors: list[ValidationError], path: str, value: Any) -> None:
    rules.validate_job_schedule_plain(errors, value)


class BatchJobScheduleArgs(
    BatchModel, sdk="BatchJobScheduleCreateOptions", rules=_validate_job_schedule
):
    """A Batch job schedule: when it creates jobs and the specification of those jobs.

    ``id`` may be left out for the component to generate one. The jobs get no initial tasks:
    their Job Manager Task adds them.
    """

    id: Annotated[
        pulumi.Input[str] | None,
        Doc("1–64 letters, digits, `-`, `_`; optional for `BatchJobSchedule` (generated)"),
    ] = None
    display_name: Annotated[pulumi.Input[str] | None, Doc("at most 1024 characters")] = None
    schedule: Annotated[pulumi.Input[Schedule | ScheduleDict], Doc("required: `Schedule`")]
    job_specification: Annotated[
        pulumi.Input[JobSpecification | JobSpecificationDict],
        Doc("required: `JobSpecification`, the jobs' fields (no initial tasks)"),
    ]
    metadata: Annotated[
        pulumi.Input[Sequence[pulumi.Input[MetadataItem | MetadataItemDict]]] | None,
        Doc("`MetadataItem`s of the schedule (`job_specification.metadata`: of its jobs)"),
    ] = None


def validate_job_schedule(
    spec: BatchJobScheduleArgs | Mapping[str, Any], *, now: datetime | None = None
) -> list[ValidationError]:
    """Every plan-time rule of a job schedule, over typed args or a plain mapping (attribute
    or REST keys, any case); unknown values are skipped. With ``now``, a ``do_not_run_after``
    before it is an error."""
    errors: list[ValidationError] = []
    if not isinstance(spec, BatchJobScheduleArgs | Mapping):
        errors.append(ValidationError("", "a job schedule must be an object", spec))
        return errors
    plain = spec.to_plain() if isinstance(spec, BatchJobScheduleArgs) else spec
    rules.validate_job_schedule_plain(errors, BatchJobScheduleArgs.normalize(plain), now=now)
    return errors


def job_schedule_create_request(spec: BatchJobScheduleArgs | Mapping[str, Any]) -> dict[str, Any]:
    """The REST body of Create Job Schedule, from resolved values.

    Raises :class:`SerializationError` if a value is unknown or malformed (validate first).
    """
    try:
        plain = spec.to_plain() if isinstance(spec, BatchJobScheduleArgs) else spec
        args = BatchJobScheduleArgs.from_dict(plain)
    except DeserializationError as exc:
        raise SerializationError(str(exc)) from exc
    if args.id is None:
        raise SerializationError("id: a job schedule id is required to create the schedule")
    return args.serialize()
