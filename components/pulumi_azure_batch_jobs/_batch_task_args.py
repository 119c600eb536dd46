"""Initial tasks of a job (the Add Task REST body) and their dependencies.

Properties not modelled field by field (exit conditions, affinity, multi-instance settings, ...)
are carried as REST JSON (``Mapping`` with camelCase keys), so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from ._validate_tasks import validate_task, validate_task_dependencies, validate_task_id_range

__all__ = [
    "BatchTaskArgs",
    "BatchTaskArgsDict",
    "TaskDependencies",
    "TaskDependenciesDict",
    "TaskIdRange",
    "TaskIdRangeDict",
]


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
        validate_task_id_range(errors, "", self.to_plain())
        return errors


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
    container_settings: Container
    exit_conditions: pulumi.Input[Json]
    resource_files: Files
    output_files: pulumi.Input[Sequence[Json]]
    environment_settings: Env
    affinity_info: pulumi.Input[Json]
    constraints: Constraints
    required_slots: pulumi.Input[int]
    user_identity: Identity
    multi_instance_settings: pulumi.Input[Json]
    depends_on: pulumi.Input[TaskDependencies | TaskDependenciesDict]
    application_package_references: pulumi.Input[Sequence[Json]]
    authentication_token_settings: pulumi.Input[Json]


class BatchTaskArgs(BatchModel):
    """An initial task of the job, added right after the job is created (Add Task REST body)."""

    _sdk_model = sdk.BatchTaskCreateOptions
    _fields = (
        ID,
        DISPLAY_NAME,
        COMMAND_LINE,
        CONTAINER,
        Field("exit_conditions", "raw", "ExitConditions"),
        FILES,
        OUTPUT_FILES,
        ENV,
        Field("affinity_info", "raw", "AffinityInformation"),
        CONSTRAINTS,
        SLOTS,
        IDENTITY,
        Field("multi_instance_settings", "raw", "MultiInstanceSettings"),
        Field("depends_on", "model", "TaskDependencies", model="TaskDependencies"),
        PACKAGES,
        TOKEN,
    )
    id: pulumi.Input[str]
    display_name: pulumi.Input[str] | None
    command_line: pulumi.Input[str]
    container_settings: Container | None
    exit_conditions: pulumi.Input[Json] | None
    resource_files: Files | None
    output_files: pulumi.Input[Sequence[Json]] | None
    environment_settings: Env | None
    affinity_info: pulumi.Input[Json] | None
    constraints: Constraints | None
    required_slots: pulumi.Input[int] | None
    user_identity: Identity | None
    multi_instance_settings: pulumi.Input[Json] | None
    depends_on: pulumi.Input[TaskDependencies | TaskDependenciesDict] | None
    application_package_references: pulumi.Input[Sequence[Json]] | None
    authentication_token_settings: pulumi.Input[Json] | None

    def __init__(
        self,
        *,
        id: pulumi.Input[str],
        command_line: pulumi.Input[str],
        display_name: pulumi.Input[str] | None = None,
        container_settings: Container | None = None,
        exit_conditions: pulumi.Input[Json] | None = None,
        resource_files: Files | None = None,
        output_files: pulumi.Input[Sequence[Json]] | None = None,
        environment_settings: Env | None = None,
        affinity_info: pulumi.Input[Json] | None = None,
        constraints: Constraints | None = None,
        required_slots: pulumi.Input[int] | None = None,
        user_identity: Identity | None = None,
        multi_instance_settings: pulumi.Input[Json] | None = None,
        depends_on: pulumi.Input[TaskDependencies | TaskDependenciesDict] | None = None,
        application_package_references: pulumi.Input[Sequence[Json]] | None = None,
        authentication_token_settings: pulumi.Input[Json] | None = None,
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
