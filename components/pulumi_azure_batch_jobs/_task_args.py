"""The job's own tasks: Job Release (the seed's class), Job Preparation and Job Manager.

Properties Batch accepts that these types do not model field by field (output files, exit
conditions, application packages, ...) are carried as REST JSON (``Mapping`` with camelCase keys)
so that a job spec converts to arguments and back without loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Required, TypedDict

import pulumi
from azure.batch import models as sdk

from ._model import BatchModel, Field, ValidationError
from ._task_fields import (
    COMMAND_LINE,
    CONSTRAINTS,
    CONTAINER,
    DISPLAY_NAME,
    ENV,
    FILES,
    ID,
    IDENTITY,
    OUTPUT_FILES,
    PACKAGES,
    SLOTS,
    TOKEN,
    Constraints,
    Container,
    Env,
    Files,
    Identity,
    Json,
)
from ._validate_tasks import (
    validate_job_manager_task,
    validate_job_preparation_task,
    validate_job_release_task,
)

__all__ = [
    "JobManagerTask",
    "JobManagerTaskDict",
    "JobPreparationTask",
    "JobPreparationTaskDict",
    "JobReleaseTask",
    "JobReleaseTaskDict",
]


class JobReleaseTaskDict(TypedDict, total=False):
    """The TypedDict form of :class:`JobReleaseTask`."""

    command_line: Required[pulumi.Input[str]]
    id: pulumi.Input[str]
    container_settings: Container
    resource_files: Files
    environment_settings: Env
    max_wall_clock_time: pulumi.Input[timedelta]
    retention_time: pulumi.Input[timedelta]
    user_identity: Identity


class JobReleaseTask(BatchModel):
    """A Job Release Task to run on Job completion on any Compute Node where the Job has run.

    It runs when the job ends (terminate, delete while active, max wall clock time, or job
    manager completion with kill-on-completion) on each node where the Job Preparation Task ran
    and completed; it needs a Job Preparation Task, its id defaults to ``jobrelease`` and must
    differ from every other task id, and its ``max_wall_clock_time`` is at most 15 minutes.
    """

    _sdk_model = sdk.BatchJobReleaseTask
    _fields = (
        ID,
        COMMAND_LINE,
        CONTAINER,
        FILES,
        ENV,
        Field("max_wall_clock_time", "duration", "duration"),
        Field("retention_time", "duration", "duration"),
        IDENTITY,
    )
    id: pulumi.Input[str] | None
    command_line: pulumi.Input[str]
    container_settings: Container | None
    resource_files: Files | None
    environment_settings: Env | None
    max_wall_clock_time: pulumi.Input[timedelta] | None
    retention_time: pulumi.Input[timedelta] | None
    user_identity: Identity | None

    def __init__(
        self,
        *,
        command_line: pulumi.Input[str],
        id: pulumi.Input[str] | None = None,
        container_settings: Container | None = None,
        resource_files: Files | None = None,
        environment_settings: Env | None = None,
        max_wall_clock_time: pulumi.Input[timedelta] | None = None,
        retention_time: pulumi.Input[timedelta] | None = None,
        user_identity: Identity | None = None,
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
    container_settings: Container
    resource_files: Files
    environment_settings: Env
    constraints: Constraints
    wait_for_success: pulumi.Input[bool]
    user_identity: Identity
    rerun_on_node_reboot_after_success: pulumi.Input[bool]


class JobPreparationTask(BatchModel):
    """Runs on a node before any other task of the job there (id defaults to ``jobpreparation``)."""

    _sdk_model = sdk.BatchJobPreparationTask
    _fields = (
        ID,
        COMMAND_LINE,
        CONTAINER,
        FILES,
        ENV,
        CONSTRAINTS,
        Field("wait_for_success", "bool", "bool"),
        IDENTITY,
        Field("rerun_on_node_reboot_after_success", "bool", "bool"),
    )
    id: pulumi.Input[str] | None
    command_line: pulumi.Input[str]
    container_settings: Container | None
    resource_files: Files | None
    environment_settings: Env | None
    constraints: Constraints | None
    wait_for_success: pulumi.Input[bool] | None
    user_identity: Identity | None
    rerun_on_node_reboot_after_success: pulumi.Input[bool] | None

    def __init__(
        self,
        *,
        command_line: pulumi.Input[str],
        id: pulumi.Input[str] | None = None,
        container_settings: Container | None = None,
        resource_files: Files | None = None,
        environment_settings: Env | None = None,
        constraints: Constraints | None = None,
        wait_for_success: pulumi.Input[bool] | None = None,
        user_identity: Identity | None = None,
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
    container_settings: Container
    resource_files: Files
    output_files: pulumi.Input[Sequence[Json]]
    environment_settings: Env
    constraints: Constraints
    required_slots: pulumi.Input[int]
    kill_job_on_completion: pulumi.Input[bool]
    user_identity: Identity
    run_exclusive: pulumi.Input[bool]
    application_package_references: pulumi.Input[Sequence[Json]]
    authentication_token_settings: pulumi.Input[Json]
    allow_low_priority_node: pulumi.Input[bool]


class JobManagerTask(BatchModel):
    """Started when the job is created, scheduled before the job's other tasks."""

    _sdk_model = sdk.BatchJobManagerTask
    _fields = (
        ID,
        DISPLAY_NAME,
        COMMAND_LINE,
        CONTAINER,
        FILES,
        OUTPUT_FILES,
        ENV,
        CONSTRAINTS,
        SLOTS,
        Field("kill_job_on_completion", "bool", "bool"),
        IDENTITY,
        Field("run_exclusive", "bool", "bool"),
        PACKAGES,
        TOKEN,
        Field("allow_low_priority_node", "bool", "bool"),
    )
    id: pulumi.Input[str]
    display_name: pulumi.Input[str] | None
    command_line: pulumi.Input[str]
    container_settings: Container | None
    resource_files: Files | None
    output_files: pulumi.Input[Sequence[Json]] | None
    environment_settings: Env | None
    constraints: Constraints | None
    required_slots: pulumi.Input[int] | None
    kill_job_on_completion: pulumi.Input[bool] | None
    user_identity: Identity | None
    run_exclusive: pulumi.Input[bool] | None
    application_package_references: pulumi.Input[Sequence[Json]] | None
    authentication_token_settings: pulumi.Input[Json] | None
    allow_low_priority_node: pulumi.Input[bool] | None

    def __init__(
        self,
        *,
        id: pulumi.Input[str],
        command_line: pulumi.Input[str],
        display_name: pulumi.Input[str] | None = None,
        container_settings: Container | None = None,
        resource_files: Files | None = None,
        output_files: pulumi.Input[Sequence[Json]] | None = None,
        environment_settings: Env | None = None,
        constraints: Constraints | None = None,
        required_slots: pulumi.Input[int] | None = None,
        kill_job_on_completion: pulumi.Input[bool] | None = None,
        user_identity: Identity | None = None,
        run_exclusive: pulumi.Input[bool] | None = None,
        application_package_references: pulumi.Input[Sequence[Json]] | None = None,
        authentication_token_settings: pulumi.Input[Json] | None = None,
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
