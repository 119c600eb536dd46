"""The job's own tasks: Job Release (the seed's class), Job Preparation and Job Manager.

Properties Batch accepts that these types do not model field by field (output files,
application packages, ...) are carried as REST JSON (``Mapping`` with camelCase keys) so that
a job spec converts to arguments and back without loss.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import pulumi

from ..validation import _tasks as rules
from ._common import Constraints, Container, Duration, Env, Files, Identity
from ._fields import Doc
from ._model import BatchModel

__all__ = [
    "CommandLine",
    "JobManagerTask",
    "JobPreparationTask",
    "JobReleaseTask",
    "Json",
    "OutputFiles",
    "Packages",
    "TaskId",
    "Token",
]

Json = Mapping[str, Any]
CommandLine = Annotated[
    pulumi.Input[str],
    Doc("required, non-empty; runs without a shell (use `/bin/sh -c '...'` for shell features)"),
]
TaskId = Annotated[pulumi.Input[str], Doc("1–64 letters, digits, `-`, `_`; unique in the job")]
OutputFiles = Annotated[pulumi.Input[Sequence[Json]], Doc("REST JSON", type_name="[OutputFile]")]
Packages = Annotated[
    pulumi.Input[Sequence[Json]], Doc("REST JSON", type_name="[ApplicationPackageReference]")
]
# azure-batch 15 dropped this REST property from its task models; the service still takes it.
Token = Annotated[
    pulumi.Input[Json],
    Doc(
        "REST JSON",
        type_name="AuthenticationTokenSettings",
        rest_key="authenticationTokenSettings",
    ),
]


class JobReleaseTask(BatchModel, sdk="BatchJobReleaseTask", rules=rules.validate_job_release_task):
    """A Job Release Task to run on Job completion on any Compute Node where the Job has run.

    It runs when the job ends (terminate, delete while active, max wall clock time, or job
    manager completion with kill-on-completion) on each node where the Job Preparation Task ran
    and completed; it needs a Job Preparation Task, its id defaults to ``jobrelease`` and must
    differ from every other task id, and its ``max_wall_clock_time`` is at most 15 minutes.
    """

    id: Annotated[
        pulumi.Input[str] | None,
        Doc(
            "1–64 letters, digits, `-`, `_`; default `jobrelease`; must differ from every "
            "other task id"
        ),
    ] = None
    command_line: CommandLine
    container_settings: Annotated[
        Container | None,
        Doc(
            "`TaskContainerSettings`: the node root directory and the task environment are "
            "mapped into the container"
        ),
    ] = None
    resource_files: Annotated[
        Files | None, Doc("`ResourceFile`s, downloaded into the task's working directory")
    ] = None
    environment_settings: Annotated[
        Env | None, Doc("`EnvironmentSetting`s, names non-empty, without `=`, unique")
    ] = None
    max_wall_clock_time: Annotated[
        Duration | None, Doc("positive, at most 15 minutes (the default)")
    ] = None
    retention_time: Annotated[
        Duration | None,
        Doc("positive; how long the task directory is kept (Batch's default: 7 days)"),
    ] = None
    user_identity: Annotated[
        Identity | None,
        Doc("`UserIdentity`; default: a non-administrative user unique to the task"),
    ] = None


class JobPreparationTask(
    BatchModel, sdk="BatchJobPreparationTask", rules=rules.validate_job_preparation_task
):
    """Runs on a node before any other task of the job there (id defaults to ``jobpreparation``)."""

    id: pulumi.Input[str] | None = None
    command_line: CommandLine
    container_settings: Container | None = None
    resource_files: Files | None = None
    environment_settings: Env | None = None
    constraints: Constraints | None = None
    wait_for_success: pulumi.Input[bool] | None = None
    user_identity: Identity | None = None
    rerun_on_node_reboot_after_success: pulumi.Input[bool] | None = None


class JobManagerTask(BatchModel, sdk="BatchJobManagerTask", rules=rules.validate_job_manager_task):
    """Started when the job is created, scheduled before the job's other tasks."""

    id: TaskId
    display_name: pulumi.Input[str] | None = None
    command_line: CommandLine
    container_settings: Container | None = None
    resource_files: Files | None = None
    output_files: OutputFiles | None = None
    environment_settings: Env | None = None
    constraints: Constraints | None = None
    required_slots: Annotated[pulumi.Input[int] | None, Doc("at least 1")] = None
    kill_job_on_completion: Annotated[
        pulumi.Input[bool] | None, Doc("false when the job declares initial tasks")
    ] = None
    user_identity: Identity | None = None
    run_exclusive: pulumi.Input[bool] | None = None
    application_package_references: Packages | None = None
    authentication_token_settings: Token | None = None
    allow_low_priority_node: pulumi.Input[bool] | None = None
