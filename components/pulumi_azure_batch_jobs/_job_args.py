"""The job's own arguments: constraints, pool, and :class:`BatchJobArgs` itself.

``BatchJobArgs`` uses Batch's ``id`` for the job id (as the REST model does); the component
resource exposes it as ``job_id``. Its ``tasks`` are the initial tasks, added after the job is
created; they are not part of the job's REST body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, Required, TypedDict

import pulumi
from azure.batch import models as sdk

from ._batch_task_args import BatchTaskArgs, BatchTaskArgsDict
from ._common_args import EnvironmentSetting, EnvironmentSettingDict, MetadataItem, MetadataItemDict
from ._model import BatchModel, DeserializationError, Field, SerializationError, ValidationError
from ._task_args import (
    JobManagerTask,
    JobManagerTaskDict,
    JobPreparationTask,
    JobPreparationTaskDict,
    JobReleaseTask,
    JobReleaseTaskDict,
)
from ._validate_job import (
    validate_auto_pool_specification,
    validate_job_constraints,
    validate_job_plain,
    validate_pool_info,
)

__all__ = [
    "AutoPoolSpecification",
    "AutoPoolSpecificationDict",
    "BatchJobArgs",
    "BatchJobArgsDict",
    "JobConstraints",
    "JobConstraintsDict",
    "PoolInformation",
    "PoolInformationDict",
    "job_create_requests",
    "validate_job",
]

_Json = Mapping[str, Any]


class JobConstraintsDict(TypedDict, total=False):
    """The TypedDict form of :class:`JobConstraints`."""

    max_wall_clock_time: pulumi.Input[timedelta]
    max_task_retry_count: pulumi.Input[int]


class JobConstraints(BatchModel):
    """Execution limits of a job: wall clock from creation, retries per task (-1: unlimited)."""

    _sdk_model = sdk.BatchJobConstraints
    _fields = (
        Field("max_wall_clock_time", "duration", "duration"),
        Field("max_task_retry_count", "int", "int"),
    )
    max_wall_clock_time: pulumi.Input[timedelta] | None
    max_task_retry_count: pulumi.Input[int] | None

    def __init__(
        self,
        *,
        max_wall_clock_time: pulumi.Input[timedelta] | None = None,
        max_task_retry_count: pulumi.Input[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            max_wall_clock_time=max_wall_clock_time,
            max_task_retry_count=max_task_retry_count,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_job_constraints(errors, "", self.to_plain())
        return errors


class AutoPoolSpecificationDict(TypedDict, total=False):
    """The TypedDict form of :class:`AutoPoolSpecification`."""

    pool_lifetime_option: Required[pulumi.Input[str]]
    auto_pool_id_prefix: pulumi.Input[str]
    keep_alive: pulumi.Input[bool]
    pool: pulumi.Input[_Json]


class AutoPoolSpecification(BatchModel):
    """A temporary pool created for the job (``pool`` is the REST pool specification JSON)."""

    _sdk_model = sdk.BatchAutoPoolSpecification
    _fields = (
        Field("auto_pool_id_prefix", "str", "str"),
        Field(
            "pool_lifetime_option", "enum", "PoolLifetimeOption", enum=sdk.BatchPoolLifetimeOption
        ),
        Field("keep_alive", "bool", "bool"),
        Field("pool", "raw", "PoolSpecification"),
    )
    auto_pool_id_prefix: pulumi.Input[str] | None
    pool_lifetime_option: pulumi.Input[str]
    keep_alive: pulumi.Input[bool] | None
    pool: pulumi.Input[_Json] | None

    def __init__(
        self,
        *,
        pool_lifetime_option: pulumi.Input[str],
        auto_pool_id_prefix: pulumi.Input[str] | None = None,
        keep_alive: pulumi.Input[bool] | None = None,
        pool: pulumi.Input[_Json] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            auto_pool_id_prefix=auto_pool_id_prefix,
            pool_lifetime_option=pool_lifetime_option,
            keep_alive=keep_alive,
            pool=pool,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_auto_pool_specification(errors, "", self.to_plain())
        return errors


class PoolInformationDict(TypedDict, total=False):
    """The TypedDict form of :class:`PoolInformation`."""

    pool_id: pulumi.Input[str]
    auto_pool_specification: pulumi.Input[AutoPoolSpecification | AutoPoolSpecificationDict]


class PoolInformation(BatchModel):
    """Where the job runs: an existing pool's id or an auto-pool specification, not both."""

    _sdk_model = sdk.BatchPoolInfo
    _fields = (
        Field("pool_id", "str", "str"),
        Field(
            "auto_pool_specification",
            "model",
            "AutoPoolSpecification",
            model="AutoPoolSpecification",
        ),
    )
    pool_id: pulumi.Input[str] | None
    auto_pool_specification: pulumi.Input[AutoPoolSpecification | AutoPoolSpecificationDict] | None

    def __init__(
        self,
        *,
        pool_id: pulumi.Input[str] | None = None,
        auto_pool_specification: (
            pulumi.Input[AutoPoolSpecification | AutoPoolSpecificationDict] | None
        ) = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(pool_id=pool_id, auto_pool_specification=auto_pool_specification, **kwargs)

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_pool_info(errors, "", self.to_plain())
        return errors


_Env = pulumi.Input[Sequence[pulumi.Input[EnvironmentSetting | EnvironmentSettingDict]]]
_Metadata = pulumi.Input[Sequence[pulumi.Input[MetadataItem | MetadataItemDict]]]
_Tasks = pulumi.Input[Sequence[pulumi.Input[BatchTaskArgs | BatchTaskArgsDict]]]


class BatchJobArgsDict(TypedDict, total=False):
    """The TypedDict form of :class:`BatchJobArgs`."""

    pool_info: Required[pulumi.Input[PoolInformation | PoolInformationDict]]
    id: pulumi.Input[str]
    display_name: pulumi.Input[str]
    priority: pulumi.Input[int]
    max_parallel_tasks: pulumi.Input[int]
    allow_task_preemption: pulumi.Input[bool]
    constraints: pulumi.Input[JobConstraints | JobConstraintsDict]
    job_manager_task: pulumi.Input[JobManagerTask | JobManagerTaskDict]
    job_preparation_task: pulumi.Input[JobPreparationTask | JobPreparationTaskDict]
    job_release_task: pulumi.Input[JobReleaseTask | JobReleaseTaskDict]
    common_environment_settings: _Env
    on_all_tasks_complete: pulumi.Input[str]
    on_task_failure: pulumi.Input[str]
    metadata: _Metadata
    uses_task_dependencies: pulumi.Input[bool]
    network_configuration: pulumi.Input[_Json]
    tasks: _Tasks


class BatchJobArgs(BatchModel):
    """Everything a Batch job is created with, plus its initial ``tasks``.

    ``id`` may be left out for the component to generate one; ``serialize()`` then fails, as the
    REST body needs it. ``on_all_tasks_complete`` is ``noaction`` or ``terminatejob``;
    ``on_task_failure`` is ``noaction`` or ``performexitoptionsjobaction``.
    """

    _sdk_model = sdk.BatchJobCreateOptions
    _fields = (
        Field("id", "str", "str"),
        Field("display_name", "str", "str"),
        Field("priority", "int", "int"),
        Field("max_parallel_tasks", "int", "int"),
        Field("allow_task_preemption", "bool", "bool"),
        Field("constraints", "model", "JobConstraints", model="JobConstraints"),
        Field("job_manager_task", "model", "JobManagerTask", model="JobManagerTask"),
        Field("job_preparation_task", "model", "JobPreparationTask", model="JobPreparationTask"),
        Field("job_release_task", "model", "JobReleaseTask", model="JobReleaseTask"),
        Field(
            "common_environment_settings",
            "models",
            "[EnvironmentSetting]",
            model="EnvironmentSetting",
        ),
        Field("pool_info", "model", "PoolInformation", model="PoolInformation"),
        Field(
            "on_all_tasks_complete",
            "enum",
            "OnAllTasksComplete",
            sdk_attr="all_tasks_complete_mode",
            enum=sdk.BatchAllTasksCompleteMode,
        ),
        Field(
            "on_task_failure",
            "enum",
            "OnTaskFailure",
            sdk_attr="task_failure_mode",
            enum=sdk.BatchTaskFailureMode,
        ),
        Field("metadata", "models", "[MetadataItem]", model="MetadataItem"),
        Field("uses_task_dependencies", "bool", "bool"),
        Field("network_configuration", "raw", "JobNetworkConfiguration"),
        # Not part of the job's REST body: the component adds these tasks after the job.
        Field(
            "tasks",
            "models",
            "[BatchTaskArgs]",
            rest_key="tasks",
            model="BatchTaskArgs",
            sent=False,
        ),
    )
    id: pulumi.Input[str] | None
    display_name: pulumi.Input[str] | None
    priority: pulumi.Input[int] | None
    max_parallel_tasks: pulumi.Input[int] | None
    allow_task_preemption: pulumi.Input[bool] | None
    constraints: pulumi.Input[JobConstraints | JobConstraintsDict] | None
    job_manager_task: pulumi.Input[JobManagerTask | JobManagerTaskDict] | None
    job_preparation_task: pulumi.Input[JobPreparationTask | JobPreparationTaskDict] | None
    job_release_task: pulumi.Input[JobReleaseTask | JobReleaseTaskDict] | None
    common_environment_settings: _Env | None
    pool_info: pulumi.Input[PoolInformation | PoolInformationDict]
    on_all_tasks_complete: pulumi.Input[str] | None
    on_task_failure: pulumi.Input[str] | None
    metadata: _Metadata | None
    uses_task_dependencies: pulumi.Input[bool] | None
    network_configuration: pulumi.Input[_Json] | None
    tasks: _Tasks | None

    def __init__(
        self,
        *,
        pool_info: pulumi.Input[PoolInformation | PoolInformationDict],
        id: pulumi.Input[str] | None = None,
        display_name: pulumi.Input[str] | None = None,
        priority: pulumi.Input[int] | None = None,
        max_parallel_tasks: pulumi.Input[int] | None = None,
        allow_task_preemption: pulumi.Input[bool] | None = None,
        constraints: pulumi.Input[JobConstraints | JobConstraintsDict] | None = None,
        job_manager_task: pulumi.Input[JobManagerTask | JobManagerTaskDict] | None = None,
        job_preparation_task: pulumi.Input[JobPreparationTask | JobPreparationTaskDict]
        | None = None,
        job_release_task: pulumi.Input[JobReleaseTask | JobReleaseTaskDict] | None = None,
        common_environment_settings: _Env | None = None,
        on_all_tasks_complete: pulumi.Input[str] | None = None,
        on_task_failure: pulumi.Input[str] | None = None,
        metadata: _Metadata | None = None,
        uses_task_dependencies: pulumi.Input[bool] | None = None,
        network_configuration: pulumi.Input[_Json] | None = None,
        tasks: _Tasks | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            id=id,
            display_name=display_name,
            priority=priority,
            max_parallel_tasks=max_parallel_tasks,
            allow_task_preemption=allow_task_preemption,
            constraints=constraints,
            job_manager_task=job_manager_task,
            job_preparation_task=job_preparation_task,
            job_release_task=job_release_task,
            common_environment_settings=common_environment_settings,
            pool_info=pool_info,
            on_all_tasks_complete=on_all_tasks_complete,
            on_task_failure=on_task_failure,
            metadata=metadata,
            uses_task_dependencies=uses_task_dependencies,
            network_configuration=network_configuration,
            tasks=tasks,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_job_plain(errors, self.to_plain())
        return errors


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
    validate_job_plain(errors, BatchJobArgs.normalize(spec))
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
