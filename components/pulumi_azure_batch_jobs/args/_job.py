"""The job's own arguments: constraints, pool, and :class:`BatchJobArgs` itself.

``BatchJobArgs`` uses Batch's ``id`` for the job id (as the REST model does); the resource
exposes it as ``job_id``. Its ``tasks`` are the initial tasks, added after the job is
created; they are not part of the job's REST body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, ClassVar

import pulumi

from ..validation import _enums as enums
from ..validation import _job as rules
from ..validation import _schedule as schedule_rules
from ..validation._errors import ValidationError
from ._common import Duration, Env, MetadataItem
from ._dicts import (
    AutoPoolSpecificationDict,
    BatchTaskArgsDict,
    JobConstraintsDict,
    JobManagerTaskDict,
    JobPreparationTaskDict,
    JobReleaseTaskDict,
    MetadataItemDict,
    PoolInformationDict,
)
from ._errors import DeserializationError, SerializationError
from ._fields import Doc
from ._initial_tasks import BatchTaskArgs
from ._model import BatchModel
from ._tasks import JobManagerTask, JobPreparationTask, JobReleaseTask, Json

__all__ = [
    "AutoPoolSpecification",
    "BatchJobArgs",
    "JobConstraints",
    "JobSpecification",
    "PoolInformation",
    "job_create_requests",
    "validate_job",
]


class JobConstraints(BatchModel, sdk="BatchJobConstraints", rules=rules.validate_job_constraints):
    """Execution limits of a job: wall clock from creation, retries per task (-1: unlimited)."""

    max_wall_clock_time: Annotated[Duration | None, Doc("positive")] = None
    max_task_retry_count: Annotated[
        pulumi.Input[int] | None, Doc("-1 (no limit) or at least 0")
    ] = None


class AutoPoolSpecification(
    BatchModel, sdk="BatchAutoPoolSpecification", rules=rules.validate_auto_pool_specification
):
    """A temporary pool created for the job (``pool`` is the REST pool specification JSON)."""

    auto_pool_id_prefix: Annotated[pulumi.Input[str] | None, Doc("at most 20 characters")] = None
    pool_lifetime_option: Annotated[
        pulumi.Input[str],
        Doc("`job` (required)", enum=enums.BatchPoolLifetimeOption),
    ]
    keep_alive: pulumi.Input[bool] | None = None
    pool: Annotated[pulumi.Input[Json] | None, Doc("REST JSON", type_name="PoolSpecification")] = (
        None
    )


class PoolInformation(BatchModel, sdk="BatchPoolInfo", rules=rules.validate_pool_info):
    """Where the job runs: an existing pool's id or an auto-pool specification, not both."""

    pool_id: Annotated[pulumi.Input[str] | None, Doc("a valid id")] = None
    auto_pool_specification: (
        pulumi.Input[AutoPoolSpecification | AutoPoolSpecificationDict] | None
    ) = None


class JobSpecification(
    BatchModel, sdk="BatchJobSpecification", rules=schedule_rules.validate_job_specification
):
    """What a job is created with, without its id and tasks: a job schedule's jobs.

    A job schedule's jobs get their tasks from their Job Manager Task, so there are no
    initial ``tasks`` here; ``BatchJobArgs`` is this plus the job's ``id`` and ``tasks``.
    """

    #: Names a job has and a job specification refuses, with the reason said.
    _refused: ClassVar[dict[str, str]] = {
        "tasks": "a job schedule's jobs have no initial tasks: their Job Manager Task "
        "(job_manager_task) adds them",
        "id": "a job schedule names its jobs <schedule id>:job-<n>",
    }

    display_name: Annotated[pulumi.Input[str] | None, Doc("at most 1024 characters")] = None
    priority: Annotated[pulumi.Input[int] | None, Doc("−1000 to 1000")] = None
    max_parallel_tasks: Annotated[pulumi.Input[int] | None, Doc("−1 (no limit) or at least 1")] = (
        None
    )
    allow_task_preemption: Annotated[pulumi.Input[bool] | None, Doc("boolean")] = None
    constraints: Annotated[
        pulumi.Input[JobConstraints | JobConstraintsDict] | None, Doc("`JobConstraints`")
    ] = None
    job_manager_task: Annotated[
        pulumi.Input[JobManagerTask | JobManagerTaskDict] | None, Doc("`JobManagerTask`")
    ] = None
    job_preparation_task: Annotated[
        pulumi.Input[JobPreparationTask | JobPreparationTaskDict] | None,
        Doc("`JobPreparationTask`; required when `job_release_task` is set"),
    ] = None
    job_release_task: Annotated[
        pulumi.Input[JobReleaseTask | JobReleaseTaskDict] | None, Doc("`JobReleaseTask`")
    ] = None
    common_environment_settings: Annotated[
        Env | None, Doc("`EnvironmentSetting`s, names unique")
    ] = None
    pool_info: Annotated[
        pulumi.Input[PoolInformation | PoolInformationDict],
        Doc(
            "required: `PoolInformation` with exactly one of `pool_id` and "
            "`auto_pool_specification`"
        ),
    ]
    on_all_tasks_complete: Annotated[
        pulumi.Input[str] | None,
        Doc(
            "`noaction` or `terminatejob`",
            enum=enums.BatchAllTasksCompleteMode,
            type_name="OnAllTasksComplete",
            sdk_attr="all_tasks_complete_mode",
        ),
    ] = None
    on_task_failure: Annotated[
        pulumi.Input[str] | None,
        Doc(
            "`noaction` or `performexitoptionsjobaction`",
            enum=enums.BatchTaskFailureMode,
            type_name="OnTaskFailure",
            sdk_attr="task_failure_mode",
        ),
    ] = None
    metadata: Annotated[
        pulumi.Input[Sequence[pulumi.Input[MetadataItem | MetadataItemDict]]] | None,
        Doc("`MetadataItem`s"),
    ] = None
    uses_task_dependencies: Annotated[
        pulumi.Input[bool] | None, Doc("boolean; must be true for a task with `depends_on`")
    ] = None
    network_configuration: Annotated[
        pulumi.Input[Json] | None,
        Doc("REST JSON; `subnetId` required", type_name="JobNetworkConfiguration"),
    ] = None


def _validate_job(errors: list[ValidationError], path: str, value: Any) -> None:
    rules.validate_job_plain(errors, value)


class BatchJobArgs(JobSpecification, sdk="BatchJobCreateOptions", rules=_validate_job):
    """Everything a Batch job is created with, plus its initial ``tasks``.

    ``id`` may be left out for the component to generate one; ``serialize()`` then fails, as the
    REST body needs it. ``on_all_tasks_complete`` is ``noaction`` or ``terminatejob``;
    ``on_task_failure`` is ``noaction`` or ``performexitoptionsjobaction``. The job's own
    fields are declared once, on :class:`JobSpecification`.
    """

    _refused: ClassVar[dict[str, str]] = {}

    id: Annotated[
        pulumi.Input[str] | None,
        Doc("1–64 letters, digits, `-`, `_`; optional for `BatchJob` (generated)"),
    ] = None
    # Not part of the job's REST body: the resource adds these tasks after the job.
    tasks: Annotated[
        pulumi.Input[Sequence[pulumi.Input[BatchTaskArgs | BatchTaskArgsDict]]] | None,
        Doc(
            "initial `BatchTaskArgs`, added after the job in requests of at most 100",
            rest_key="tasks",
            sent=False,
        ),
    ] = None


def validate_job(spec: BatchJobArgs | Mapping[str, Any]) -> list[ValidationError]:
    """Every plan-time rule of a job, over typed args or a plain mapping.

    A mapping may use attribute or REST keys in any case (``BatchJobArgs.as_dict()``, the
    provider's resolved inputs, or an ``az batch job create`` spec); unknown values are skipped.
    """
    if isinstance(spec, BatchJobArgs):
        return spec.validate()
    errors: list[ValidationError] = []
    if not isinstance(spec, Mapping):
        errors.append(ValidationError("", "a job must be an object", spec))
        return errors
    rules.validate_job_plain(errors, BatchJobArgs.normalize(spec))
    return errors


def job_create_requests(
    spec: BatchJobArgs | Mapping[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The REST body of Add Job and the REST bodies of the initial tasks, from resolved values.

    Raises :class:`SerializationError` if a value is unknown or malformed (validate first).
    """
    try:
        args = BatchJobArgs.from_dict(spec.to_plain() if isinstance(spec, BatchJobArgs) else spec)
    except DeserializationError as exc:
        raise SerializationError(str(exc)) from exc
    if args.id is None:
        raise SerializationError("id: a job id is required to create the job")
    tasks = args.tasks if isinstance(args.tasks, list) else []
    return args.serialize(), [task.serialize() for task in tasks if isinstance(task, BatchModel)]
