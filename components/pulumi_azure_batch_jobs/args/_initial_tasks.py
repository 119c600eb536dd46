"""Initial tasks of a job (the Add Task REST body) and their dependencies.

Properties not modelled field by field (exit conditions, affinity, multi-instance settings, ...)
are carried as REST JSON (``Mapping`` with camelCase keys), so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import pulumi

from ..validation import _tasks as rules
from ._common import Constraints, Container, Env, Files, Identity
from ._dicts import TaskDependenciesDict, TaskIdRangeDict
from ._fields import Doc
from ._model import BatchModel
from ._tasks import CommandLine, Json, OutputFiles, Packages, TaskId, Token

__all__ = ["BatchTaskArgs", "TaskDependencies", "TaskIdRange"]


class TaskIdRange(BatchModel, sdk="BatchTaskIdRange", rules=rules.validate_task_id_range):
    """A range of integer task ids, ``start`` to ``end`` inclusive."""

    start: Annotated[pulumi.Input[int], Doc("required")]
    end: Annotated[pulumi.Input[int], Doc("required; at least `start`")]


class TaskDependencies(
    BatchModel, sdk="BatchTaskDependencies", rules=rules.validate_task_dependencies
):
    """The tasks a task waits for (the job must set ``uses_task_dependencies``)."""

    task_ids: Annotated[
        pulumi.Input[Sequence[pulumi.Input[str]]] | None,
        Doc("valid ids, at most 64000 characters together"),
    ] = None
    task_id_ranges: pulumi.Input[Sequence[pulumi.Input[TaskIdRange | TaskIdRangeDict]]] | None = (
        None
    )


class BatchTaskArgs(BatchModel, sdk="BatchTaskCreateOptions", rules=rules.validate_task):
    """An initial task of the job, added right after the job is created (Add Task REST body)."""

    id: TaskId
    display_name: pulumi.Input[str] | None = None
    command_line: CommandLine
    container_settings: Container | None = None
    exit_conditions: Annotated[
        pulumi.Input[Json] | None, Doc("REST JSON", type_name="ExitConditions")
    ] = None
    resource_files: Files | None = None
    output_files: OutputFiles | None = None
    environment_settings: Env | None = None
    affinity_info: Annotated[
        pulumi.Input[Json] | None, Doc("REST JSON", type_name="AffinityInformation")
    ] = None
    constraints: Constraints | None = None
    required_slots: Annotated[
        pulumi.Input[int] | None, Doc("at least 1; 1 for a multi-instance task")
    ] = None
    user_identity: Identity | None = None
    multi_instance_settings: Annotated[
        pulumi.Input[Json] | None, Doc("REST JSON", type_name="MultiInstanceSettings")
    ] = None
    depends_on: Annotated[
        pulumi.Input[TaskDependencies | TaskDependenciesDict] | None,
        Doc("not on the task itself"),
    ] = None
    application_package_references: Packages | None = None
    authentication_token_settings: Token | None = None
