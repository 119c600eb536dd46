"""Argument types shared by all tasks: files, environment, identity, container, constraints.

Each class is its one declaration: the annotations are the fields (see ``_model``); the
``...Dict`` forms in ``_dicts`` are generated from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated

import pulumi

from ..validation import _common as rules
from ..validation import _enums as enums
from ._dicts import (
    AutoUserSpecificationDict,
    ComputeNodeIdentityReferenceDict,
    ContainerHostBatchBindMountEntryDict,
    ContainerRegistryDict,
    EnvironmentSettingDict,
    ResourceFileDict,
    TaskConstraintsDict,
    TaskContainerSettingsDict,
    UserIdentityDict,
)
from ._fields import Doc
from ._model import BatchModel

__all__ = [
    "AutoUserSpecification",
    "ComputeNodeIdentityReference",
    "Constraints",
    "Container",
    "ContainerHostBatchBindMountEntry",
    "ContainerRegistry",
    "Duration",
    "Env",
    "EnvironmentSetting",
    "Files",
    "Identity",
    "MetadataItem",
    "ResourceFile",
    "TaskConstraints",
    "TaskContainerSettings",
    "UserIdentity",
]

Duration = pulumi.Input[timedelta]


class ComputeNodeIdentityReference(
    BatchModel, sdk="BatchNodeIdentityReference", rules=rules.validate_identity_reference
):
    """A user-assigned identity of the pool, by ARM resource id."""

    resource_id: Annotated[pulumi.Input[str] | None, Doc("required")] = None


IdentityReference = pulumi.Input[ComputeNodeIdentityReference | ComputeNodeIdentityReferenceDict]


class EnvironmentSetting(
    BatchModel, sdk="EnvironmentSetting", rules=rules.validate_environment_setting
):
    """An environment variable of a task process."""

    name: Annotated[pulumi.Input[str], Doc("required, without `=`")]
    value: pulumi.Input[str] | None = None


class MetadataItem(BatchModel, sdk="BatchMetadataItem", rules=rules.validate_metadata_item):
    """A name-value pair attached to a job (Batch gives it no meaning)."""

    name: Annotated[pulumi.Input[str], Doc("required")]
    value: Annotated[pulumi.Input[str], Doc("required")]


class ResourceFile(BatchModel, sdk="ResourceFile", rules=rules.validate_resource_file):
    """Files downloaded into the task working directory: exactly one of three sources."""

    auto_storage_container_name: pulumi.Input[str] | None = None
    storage_container_url: Annotated[pulumi.Input[str] | None, Doc("absolute http(s) URL")] = None
    http_url: Annotated[pulumi.Input[str] | None, Doc("absolute http(s) URL")] = None
    blob_prefix: Annotated[pulumi.Input[str] | None, Doc("not with `http_url`")] = None
    file_path: Annotated[
        pulumi.Input[str] | None, Doc("required with `http_url`; relative, no `..`")
    ] = None
    file_mode: Annotated[pulumi.Input[str] | None, Doc("octal, such as `0755`")] = None
    identity_reference: IdentityReference | None = None


class AutoUserSpecification(
    BatchModel, sdk="AutoUserSpecification", rules=rules.validate_auto_user
):
    """The auto-user a task runs as: scope ``task``/``pool``, elevation ``nonadmin``/``admin``."""

    scope: Annotated[
        pulumi.Input[str] | None, Doc("`task` or `pool`", enum=enums.AutoUserScope)
    ] = None
    elevation_level: Annotated[
        pulumi.Input[str] | None, Doc("`nonadmin` or `admin`", enum=enums.ElevationLevel)
    ] = None


class UserIdentity(BatchModel, sdk="UserIdentity", rules=rules.validate_user_identity):
    """The identity a task runs as: ``user_name`` or ``auto_user``, not both."""

    user_name: Annotated[
        pulumi.Input[str] | None, Doc("not with `auto_user`", sdk_attr="username")
    ] = None
    auto_user: pulumi.Input[AutoUserSpecification | AutoUserSpecificationDict] | None = None


class ContainerRegistry(
    BatchModel, sdk="ContainerRegistryReference", rules=rules.validate_registry
):
    """A private container registry: user name and password, or an identity reference."""

    user_name: Annotated[pulumi.Input[str] | None, Doc("with `password`", sdk_attr="username")] = (
        None
    )
    password: Annotated[pulumi.Input[str] | None, Doc("with `user_name`", secret=True)] = None
    registry_server: pulumi.Input[str] | None = None
    identity_reference: Annotated[
        IdentityReference | None, Doc("instead of `user_name` and `password`")
    ] = None


class ContainerHostBatchBindMountEntry(
    BatchModel, sdk="ContainerHostBatchBindMountEntry", rules=rules.validate_bind_mount
):
    """A Batch host path (``Shared``, ``Startup``, ``VfsMounts``, ``Task``, ``JobPrep``,
    ``Applications``) mounted into a task container."""

    source: Annotated[pulumi.Input[str] | None, Doc(enum=enums.ContainerHostDataPath)] = None
    is_read_only: pulumi.Input[bool] | None = None


BindMount = pulumi.Input[ContainerHostBatchBindMountEntry | ContainerHostBatchBindMountEntryDict]


class TaskContainerSettings(
    BatchModel, sdk="BatchTaskContainerSettings", rules=rules.validate_container_settings
):
    """The container a task runs in: image, registry, run options, working directory, mounts."""

    container_run_options: pulumi.Input[str] | None = None
    image_name: Annotated[pulumi.Input[str], Doc("required")]
    registry: pulumi.Input[ContainerRegistry | ContainerRegistryDict] | None = None
    working_directory: Annotated[
        pulumi.Input[str] | None,
        Doc(
            "`taskWorkingDirectory` or `containerImageDefault`",
            enum=enums.ContainerWorkingDirectory,
        ),
    ] = None
    container_host_batch_bind_mounts: pulumi.Input[Sequence[BindMount]] | None = None


class TaskConstraints(
    BatchModel, sdk="BatchTaskConstraints", rules=rules.validate_task_constraints
):
    """Execution limits of a task: wall clock, directory retention, retries (-1: unlimited)."""

    max_wall_clock_time: Annotated[Duration | None, Doc("positive")] = None
    retention_time: Annotated[Duration | None, Doc("positive")] = None
    max_task_retry_count: Annotated[
        pulumi.Input[int] | None, Doc("-1 (no limit) or at least 0")
    ] = None


#: The fields every kind of task has, typed once.
Container = pulumi.Input[TaskContainerSettings | TaskContainerSettingsDict]
Files = pulumi.Input[Sequence[pulumi.Input[ResourceFile | ResourceFileDict]]]
Env = pulumi.Input[Sequence[pulumi.Input[EnvironmentSetting | EnvironmentSettingDict]]]
Identity = pulumi.Input[UserIdentity | UserIdentityDict]
Constraints = pulumi.Input[TaskConstraints | TaskConstraintsDict]
