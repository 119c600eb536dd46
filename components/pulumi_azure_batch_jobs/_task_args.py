"""The job's tasks: Job Release (the seed's class), Job Preparation, Job Manager, initial tasks.

Properties Batch accepts that these types do not model field by field (output files, exit
conditions, application packages, ...) are carried as REST JSON (``Mapping`` with camelCase keys)
so that a job spec converts to arguments and back without loss.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, Required, TypedDict

import pulumi
from azure.batch import models as sdk

from ._common_args import (
    EnvironmentSetting,
    EnvironmentSettingDict,
    ResourceFile,
    ResourceFileDict,
    TaskConstraints,
    TaskConstraintsDict,
    TaskContainerSettings,
    TaskContainerSettingsDict,
    UserIdentity,
    UserIdentityDict,
)
from ._model import BatchModel, Field, ValidationError
from ._validate_tasks import (
    validate_job_manager_task,
    validate_job_preparation_task,
    validate_job_release_task,
    validate_task,
    validate_task_dependencies,
)

__all__ = [
    "BatchTaskArgs",
    "BatchTaskArgsDict",
    "JobManagerTask",
    "JobManagerTaskDict",
    "JobPreparationTask",
    "JobPreparationTaskDict",
    "JobReleaseTask",
    "JobReleaseTaskDict",
    "TaskDependencies",
    "TaskDependenciesDict",
    "TaskIdRange",
    "TaskIdRangeDict",
]

_Json = Mapping[str, Any]
_Container = pulumi.Input[TaskContainerSettings | TaskContainerSettingsDict]
_Files = pulumi.Input[Sequence[pulumi.Input[ResourceFile | ResourceFileDict]]]
_Env = pulumi.Input[Sequence[pulumi.Input[EnvironmentSetting | EnvironmentSettingDict]]]
_Identity = pulumi.Input[UserIdentity | UserIdentityDict]
_Constraints = pulumi.Input[TaskConstraints | TaskConstraintsDict]

_ID = Field("id", "str", "str")
_COMMAND_LINE = Field("command_line", "str", "str")
_DISPLAY_NAME = Field("display_name", "str", "str")
_CONTAINER = Field(
    "container_settings", "model", "TaskContainerSettings", model="TaskContainerSettings"
)
_FILES = Field("resource_files", "models", "[ResourceFile]", model="ResourceFile")
_ENV = Field("environment_settings", "models", "[EnvironmentSetting]", model="EnvironmentSetting")
_IDENTITY = Field("user_identity", "model", "UserIdentity", model="UserIdentity")
_CONSTRAINTS = Field("constraints", "model", "TaskConstraints", model="TaskConstraints")
_SLOTS = Field("required_slots", "int", "int")
_OUTPUT_FILES = Field("output_files", "raw", "[OutputFile]")
_PACKAGES = Field("application_package_references", "raw", "[ApplicationPackageReference]")
# azure-batch 15 dropped this REST property from its task models; the service still takes it.
_TOKEN = Field(
    "authentication_token_settings",
    "raw",
    "AuthenticationTokenSettings",
    rest_key="authenticationTokenSettings",
)


class JobReleaseTaskDict(TypedDict, total=False):
    """The TypedDict form of :class:`JobReleaseTask`."""

    command_line: Required[pulumi.Input[str]]
    id: pulumi.Input[str]
    container_settings: _Container
    resource_files: _Files
    environment_settings: _Env
    max_wall_clock_time: pulumi.Input[timedelta]
    retention_time: pulumi.Input[timedelta]
    user_identity: _Identity


class JobReleaseTask(BatchModel):
    """A Job Release Task to run on Job completion on any Compute Node where the Job has run.

    It runs when the job ends (terminate, delete while active, max wall clock time, or job
    manager completion with kill-on-completion) on each node where the Job Preparation Task ran
    and completed; it needs a Job Preparation Task, its id defaults to ``jobrelease`` and must
    differ from every other task id, and its ``max_wall_clock_time`` is at most 15 minutes.
    """

    _sdk_model = sdk.BatchJobReleaseTask
    _fields = (
        _ID,
        _COMMAND_LINE,
        _CONTAINER,
        _FILES,
        _ENV,
        Field("max_wall_clock_time", "duration", "duration"),
        Field("retention_time", "duration", "duration"),
        _IDENTITY,
    )
    id: pulumi.Input[str] | None
    command_line: pulumi.Input[str]
    container_settings: _Container | None
    resource_files: _Files | None
    environment_settings: _Env | None
    max_wall_clock_time: pulumi.Input[timedelta] | None
    retention_time: pulumi.Input[timedelta] | None
    user_identity: _Identity | None

    def __init__(
        self,
        *,
        command_line: pulumi.Input[str],
        id: pulumi.Input[str] | None = None,
        container_settings: _Container | None = None,
        resource_files: _Files | None = None,
        environment_settings: _Env | None = None,
        max_wall_clock_time: pulumi.Input[timedelta] | None = None,
        retention_time: pulumi.Input[timedelta] | None = None,
        user_identity: _Identity | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            id=id,
            command_line=command_line,
            container_settings=container_settings,
            resource_files=resource_files,
            environment_settings=environment_settings,
            max_wall_clock_time=max_wall_clock_time,
            retention_time=retention_time,
            user_identity=user_identity,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_job_release_task(errors, "", self.to_plain())
        return errors


class JobPreparationTaskDict(TypedDict, total=False):
    """The TypedDict form of :class:`JobPreparationTask`."""

    command_line: Required[pulumi.Input[str]]
    id: pulumi.Input[str]
    container_settings: _Container
    resource_files: _Files
    environment_settings: _Env
    constraints: _Constraints
    wait_for_success: pulumi.Input[bool]
    user_identity: _Identity
    rerun_on_node_reboot_after_success: pulumi.Input[bool]


class JobPreparationTask(BatchModel):
    """Runs on a node before any other task of the job there (id defaults to ``jobpreparation``)."""

    _sdk_model = sdk.BatchJobPreparationTask
    _fields = (
        _ID,
        _COMMAND_LINE,
        _CONTAINER,
        _FILES,
        _ENV,
        _CONSTRAINTS,
        Field("wait_for_success", "bool", "bool"),
        _IDENTITY,
        Field("rerun_on_node_reboot_after_success", "bool", "bool"),
    )
    id: pulumi.Input[str] | None
    command_line: pulumi.Input[str]
    container_settings: _Container | None
    resource_files: _Files | None
    environment_settings: _Env | None
    constraints: _Constraints | None
    wait_for_success: pulumi.Input[bool] | None
    user_identity: _Identity | None
    rerun_on_node_reboot_after_success: pulumi.Input[bool] | None

    def __init__(
        self,
        *,
        command_line: pulumi.Input[str],
        id: pulumi.Input[str] | None = None,
        container_settings: _Container | None = None,
        resource_files: _Files | None = None,
        environment_settings: _Env | None = None,
        constraints: _Constraints | None = None,
        wait_for_success: pulumi.Input[bool] | None = None,
        user_identity: _Identity | None = None,
        rerun_on_node_reboot_after_success: pulumi.Input[bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            id=id,
            command_line=command_line,
            container_settings=container_settings,
            resource_files=resource_files,
            environment_settings=environment_settings,
            constraints=constraints,
            wait_for_success=wait_for_success,
            user_identity=user_identity,
            rerun_on_node_reboot_after_success=rerun_on_node_reboot_after_success,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_job_preparation_task(errors, "", self.to_plain())
        return errors


class JobManagerTaskDict(TypedDict, total=False):
    """The TypedDict form of :class:`JobManagerTask`."""

    id: Required[pulumi.Input[str]]
    command_line: Required[pulumi.Input[str]]
    display_name: pulumi.Input[str]
    container_settings: _Container
    resource_files: _Files
    output_files: pulumi.Input[Sequence[_Json]]
    environment_settings: _Env
    constraints: _Constraints
    required_slots: pulumi.Input[int]
    kill_job_on_completion: pulumi.Input[bool]
    user_identity: _Identity
    run_exclusive: pulumi.Input[bool]
    application_package_references: pulumi.Input[Sequence[_Json]]
    authentication_token_settings: pulumi.Input[_Json]
    allow_low_priority_node: pulumi.Input[bool]


class JobManagerTask(BatchModel):
    """Started when the job is created, scheduled before the job's other tasks."""

    _sdk_model = sdk.BatchJobManagerTask
    _fields = (
        _ID,
        _DISPLAY_NAME,
        _COMMAND_LINE,
        _CONTAINER,
        _FILES,
        _OUTPUT_FILES,
        _ENV,
        _CONSTRAINTS,
        _SLOTS,
        Field("kill_job_on_completion", "bool", "bool"),
        _IDENTITY,
        Field("run_exclusive", "bool", "bool"),
        _PACKAGES,
        _TOKEN,
        Field("allow_low_priority_node", "bool", "bool"),
    )
    id: pulumi.Input[str]
    display_name: pulumi.Input[str] | None
    command_line: pulumi.Input[str]
    container_settings: _Container | None
    resource_files: _Files | None
    output_files: pulumi.Input[Sequence[_Json]] | None
    environment_settings: _Env | None
    constraints: _Constraints | None
    required_slots: pulumi.Input[int] | None
    kill_job_on_completion: pulumi.Input[bool] | None
    user_identity: _Identity | None
    run_exclusive: pulumi.Input[bool] | None
    application_package_references: pulumi.Input[Sequence[_Json]] | None
    authentication_token_settings: pulumi.Input[_Json] | None
    allow_low_priority_node: pulumi.Input[bool] | None

    def __init__(
        self,
        *,
        id: pulumi.Input[str],
        command_line: pulumi.Input[str],
        display_name: pulumi.Input[str] | None = None,
        container_settings: _Container | None = None,
        resource_files: _Files | None = None,
        output_files: pulumi.Input[Sequence[_Json]] | None = None,
        environment_settings: _Env | None = None,
        constraints: _Constraints | None = None,
        required_slots: pulumi.Input[int] | None = None,
        kill_job_on_completion: pulumi.Input[bool] | None = None,
        user_identity: _Identity | None = None,
        run_exclusive: pulumi.Input[bool] | None = None,
        application_package_references: pulumi.Input[Sequence[_Json]] | None = None,
        authentication_token_settings: pulumi.Input[_Json] | None = None,
        allow_low_priority_node: pulumi.Input[bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            id=id,
            display_name=display_name,
            command_line=command_line,
            container_settings=container_settings,
            resource_files=resource_files,
            output_files=output_files,
            environment_settings=environment_settings,
            constraints=constraints,
            required_slots=required_slots,
            kill_job_on_completion=kill_job_on_completion,
            user_identity=user_identity,
            run_exclusive=run_exclusive,
            application_package_references=application_package_references,
            authentication_token_settings=authentication_token_settings,
            allow_low_priority_node=allow_low_priority_node,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_job_manager_task(errors, "", self.to_plain())
        return errors


class TaskIdRangeDict(TypedDict):
    """The TypedDict form of :class:`TaskIdRange`."""

    start: pulumi.Input[int]
    end: pulumi.Input[int]


class TaskIdRange(BatchModel):
    """A range of integer task ids, ``start`` to ``end`` inclusive."""

    _sdk_model = sdk.BatchTaskIdRange
    _fields = (Field("start", "int", "int"), Field("end", "int", "int"))
    start: pulumi.Input[int]
    end: pulumi.Input[int]

    def __init__(self, *, start: pulumi.Input[int], end: pulumi.Input[int], **kwargs: Any) -> None:
        super().__init__(start=start, end=end, **kwargs)

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_task_dependencies(errors, "", {"task_id_ranges": [self.to_plain()]})
        prefix = "task_id_ranges[0]."
        return [ValidationError(e.path.removeprefix(prefix), e.message, e.value) for e in errors]


class TaskDependenciesDict(TypedDict, total=False):
    """The TypedDict form of :class:`TaskDependencies`."""

    task_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    task_id_ranges: pulumi.Input[Sequence[pulumi.Input[TaskIdRange | TaskIdRangeDict]]]


class TaskDependencies(BatchModel):
    """The tasks a task waits for (the job must set ``uses_task_dependencies``)."""

    _sdk_model = sdk.BatchTaskDependencies
    _fields = (
        Field("task_ids", "strs", "[str]"),
        Field("task_id_ranges", "models", "[TaskIdRange]", model="TaskIdRange"),
    )
    task_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None
    task_id_ranges: pulumi.Input[Sequence[pulumi.Input[TaskIdRange | TaskIdRangeDict]]] | None

    def __init__(
        self,
        *,
        task_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        task_id_ranges: (
            pulumi.Input[Sequence[pulumi.Input[TaskIdRange | TaskIdRangeDict]]] | None
        ) = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(task_ids=task_ids, task_id_ranges=task_id_ranges, **kwargs)

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_task_dependencies(errors, "", self.to_plain())
        return errors


class BatchTaskArgsDict(TypedDict, total=False):
    """The TypedDict form of :class:`BatchTaskArgs`."""

    id: Required[pulumi.Input[str]]
    command_line: Required[pulumi.Input[str]]
    display_name: pulumi.Input[str]
    container_settings: _Container
    exit_conditions: pulumi.Input[_Json]
    resource_files: _Files
    output_files: pulumi.Input[Sequence[_Json]]
    environment_settings: _Env
    affinity_info: pulumi.Input[_Json]
    constraints: _Constraints
    required_slots: pulumi.Input[int]
    user_identity: _Identity
    multi_instance_settings: pulumi.Input[_Json]
    depends_on: pulumi.Input[TaskDependencies | TaskDependenciesDict]
    application_package_references: pulumi.Input[Sequence[_Json]]
    authentication_token_settings: pulumi.Input[_Json]


class BatchTaskArgs(BatchModel):
    """An initial task of the job, added right after the job is created (Add Task REST body)."""

    _sdk_model = sdk.BatchTaskCreateOptions
    _fields = (
        _ID,
        _DISPLAY_NAME,
        _COMMAND_LINE,
        _CONTAINER,
        Field("exit_conditions", "raw", "ExitConditions"),
        _FILES,
        _OUTPUT_FILES,
        _ENV,
        Field("affinity_info", "raw", "AffinityInformation"),
        _CONSTRAINTS,
        _SLOTS,
        _IDENTITY,
        Field("multi_instance_settings", "raw", "MultiInstanceSettings"),
        Field("depends_on", "model", "TaskDependencies", model="TaskDependencies"),
        _PACKAGES,
        _TOKEN,
    )
    id: pulumi.Input[str]
    display_name: pulumi.Input[str] | None
    command_line: pulumi.Input[str]
    container_settings: _Container | None
    exit_conditions: pulumi.Input[_Json] | None
    resource_files: _Files | None
    output_files: pulumi.Input[Sequence[_Json]] | None
    environment_settings: _Env | None
    affinity_info: pulumi.Input[_Json] | None
    constraints: _Constraints | None
    required_slots: pulumi.Input[int] | None
    user_identity: _Identity | None
    multi_instance_settings: pulumi.Input[_Json] | None
    depends_on: pulumi.Input[TaskDependencies | TaskDependenciesDict] | None
    application_package_references: pulumi.Input[Sequence[_Json]] | None
    authentication_token_settings: pulumi.Input[_Json] | None

    def __init__(
        self,
        *,
        id: pulumi.Input[str],
        command_line: pulumi.Input[str],
        display_name: pulumi.Input[str] | None = None,
        container_settings: _Container | None = None,
        exit_conditions: pulumi.Input[_Json] | None = None,
        resource_files: _Files | None = None,
        output_files: pulumi.Input[Sequence[_Json]] | None = None,
        environment_settings: _Env | None = None,
        affinity_info: pulumi.Input[_Json] | None = None,
        constraints: _Constraints | None = None,
        required_slots: pulumi.Input[int] | None = None,
        user_identity: _Identity | None = None,
        multi_instance_settings: pulumi.Input[_Json] | None = None,
        depends_on: pulumi.Input[TaskDependencies | TaskDependenciesDict] | None = None,
        application_package_references: pulumi.Input[Sequence[_Json]] | None = None,
        authentication_token_settings: pulumi.Input[_Json] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            id=id,
            display_name=display_name,
            command_line=command_line,
            container_settings=container_settings,
            exit_conditions=exit_conditions,
            resource_files=resource_files,
            output_files=output_files,
            environment_settings=environment_settings,
            affinity_info=affinity_info,
            constraints=constraints,
            required_slots=required_slots,
            user_identity=user_identity,
            multi_instance_settings=multi_instance_settings,
            depends_on=depends_on,
            application_package_references=application_package_references,
            authentication_token_settings=authentication_token_settings,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_task(errors, "", self.to_plain())
        return errors
