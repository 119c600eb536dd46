"""Argument types shared by all tasks: files, environment, identity, container, constraints."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Required, TypedDict

import pulumi
from azure.batch import models as sdk

from ._model import BatchModel, Field, ValidationError
from ._validate_common import (
    validate_auto_user,
    validate_bind_mount,
    validate_container_settings,
    validate_environment_setting,
    validate_identity_reference,
    validate_metadata_item,
    validate_registry,
    validate_resource_file,
    validate_task_constraints,
    validate_user_identity,
)

__all__ = [
    "AutoUserSpecification",
    "AutoUserSpecificationDict",
    "ComputeNodeIdentityReference",
    "ComputeNodeIdentityReferenceDict",
    "ContainerHostBatchBindMountEntry",
    "ContainerHostBatchBindMountEntryDict",
    "ContainerRegistry",
    "ContainerRegistryDict",
    "EnvironmentSetting",
    "EnvironmentSettingDict",
    "MetadataItem",
    "MetadataItemDict",
    "ResourceFile",
    "ResourceFileDict",
    "TaskConstraints",
    "TaskConstraintsDict",
    "TaskContainerSettings",
    "TaskContainerSettingsDict",
    "UserIdentity",
    "UserIdentityDict",
]


class ComputeNodeIdentityReferenceDict(TypedDict, total=False):
    """A user-assigned identity of the pool, by ARM resource id."""

    resource_id: pulumi.Input[str]


class ComputeNodeIdentityReference(BatchModel):
    """A user-assigned identity of the pool, by ARM resource id."""

    _sdk_model = sdk.BatchNodeIdentityReference
    _fields = (Field("resource_id", "str", "str"),)
    resource_id: pulumi.Input[str] | None

    def __init__(self, *, resource_id: pulumi.Input[str] | None = None, **kwargs: Any) -> None:
        super().__init__(resource_id=resource_id, **kwargs)

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_identity_reference(errors, "", self.to_plain())
        return errors


class EnvironmentSettingDict(TypedDict, total=False):
    """An environment variable of a task process."""

    name: Required[pulumi.Input[str]]
    value: pulumi.Input[str]


class EnvironmentSetting(BatchModel):
    """An environment variable of a task process."""

    _sdk_model = sdk.EnvironmentSetting
    _fields = (Field("name", "str", "str"), Field("value", "str", "str"))
    name: pulumi.Input[str]
    value: pulumi.Input[str] | None

    def __init__(
        self, *, name: pulumi.Input[str], value: pulumi.Input[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(name=name, value=value, **kwargs)

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_environment_setting(errors, "", self.to_plain())
        return errors


class MetadataItemDict(TypedDict):
    """A name-value pair attached to a job."""

    name: pulumi.Input[str]
    value: pulumi.Input[str]


class MetadataItem(BatchModel):
    """A name-value pair attached to a job (Batch gives it no meaning)."""

    _sdk_model = sdk.BatchMetadataItem
    _fields = (Field("name", "str", "str"), Field("value", "str", "str"))
    name: pulumi.Input[str]
    value: pulumi.Input[str]

    def __init__(self, *, name: pulumi.Input[str], value: pulumi.Input[str], **kwargs: Any) -> None:
        super().__init__(name=name, value=value, **kwargs)

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_metadata_item(errors, "", self.to_plain())
        return errors


class ResourceFileDict(TypedDict, total=False):
    """Files downloaded into the task working directory before the command line runs."""

    auto_storage_container_name: pulumi.Input[str]
    storage_container_url: pulumi.Input[str]
    http_url: pulumi.Input[str]
    blob_prefix: pulumi.Input[str]
    file_path: pulumi.Input[str]
    file_mode: pulumi.Input[str]
    identity_reference: pulumi.Input[
        ComputeNodeIdentityReference | ComputeNodeIdentityReferenceDict
    ]


class ResourceFile(BatchModel):
    """Files downloaded into the task working directory: exactly one of three sources."""

    _sdk_model = sdk.ResourceFile
    _fields = (
        Field("auto_storage_container_name", "str", "str"),
        Field("storage_container_url", "str", "str"),
        Field("http_url", "str", "str"),
        Field("blob_prefix", "str", "str"),
        Field("file_path", "str", "str"),
        Field("file_mode", "str", "str"),
        Field(
            "identity_reference",
            "model",
            "ComputeNodeIdentityReference",
            model="ComputeNodeIdentityReference",
        ),
    )
    auto_storage_container_name: pulumi.Input[str] | None
    storage_container_url: pulumi.Input[str] | None
    http_url: pulumi.Input[str] | None
    blob_prefix: pulumi.Input[str] | None
    file_path: pulumi.Input[str] | None
    file_mode: pulumi.Input[str] | None
    identity_reference: (
        pulumi.Input[ComputeNodeIdentityReference | ComputeNodeIdentityReferenceDict] | None
    )

    def __init__(
        self,
        *,
        auto_storage_container_name: pulumi.Input[str] | None = None,
        storage_container_url: pulumi.Input[str] | None = None,
        http_url: pulumi.Input[str] | None = None,
        blob_prefix: pulumi.Input[str] | None = None,
        file_path: pulumi.Input[str] | None = None,
        file_mode: pulumi.Input[str] | None = None,
        identity_reference: (
            pulumi.Input[ComputeNodeIdentityReference | ComputeNodeIdentityReferenceDict] | None
        ) = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            auto_storage_container_name=auto_storage_container_name,
            storage_container_url=storage_container_url,
            http_url=http_url,
            blob_prefix=blob_prefix,
            file_path=file_path,
            file_mode=file_mode,
            identity_reference=identity_reference,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_resource_file(errors, "", self.to_plain())
        return errors


class AutoUserSpecificationDict(TypedDict, total=False):
    """The auto-user a task runs as."""

    scope: pulumi.Input[str]
    elevation_level: pulumi.Input[str]


class AutoUserSpecification(BatchModel):
    """The auto-user a task runs as: scope ``task``/``pool``, elevation ``nonadmin``/``admin``."""

    _sdk_model = sdk.AutoUserSpecification
    _fields = (
        Field("scope", "enum", "AutoUserScope", enum=sdk.AutoUserScope),
        Field("elevation_level", "enum", "ElevationLevel", enum=sdk.ElevationLevel),
    )
    scope: pulumi.Input[str] | None
    elevation_level: pulumi.Input[str] | None

    def __init__(
        self,
        *,
        scope: pulumi.Input[str] | None = None,
        elevation_level: pulumi.Input[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope=scope, elevation_level=elevation_level, **kwargs)

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_auto_user(errors, "", self.to_plain())
        return errors


class UserIdentityDict(TypedDict, total=False):
    """The identity a task runs as: a named user or an auto-user."""

    user_name: pulumi.Input[str]
    auto_user: pulumi.Input[AutoUserSpecification | AutoUserSpecificationDict]


class UserIdentity(BatchModel):
    """The identity a task runs as: ``user_name`` or ``auto_user``, not both."""

    _sdk_model = sdk.UserIdentity
    _fields = (
        Field("user_name", "str", "str", sdk_attr="username"),
        Field("auto_user", "model", "AutoUserSpecification", model="AutoUserSpecification"),
    )
    user_name: pulumi.Input[str] | None
    auto_user: pulumi.Input[AutoUserSpecification | AutoUserSpecificationDict] | None

    def __init__(
        self,
        *,
        user_name: pulumi.Input[str] | None = None,
        auto_user: pulumi.Input[AutoUserSpecification | AutoUserSpecificationDict] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(user_name=user_name, auto_user=auto_user, **kwargs)

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_user_identity(errors, "", self.to_plain())
        return errors


class ContainerRegistryDict(TypedDict, total=False):
    """A private container registry."""

    user_name: pulumi.Input[str]
    password: pulumi.Input[str]
    registry_server: pulumi.Input[str]
    identity_reference: pulumi.Input[
        ComputeNodeIdentityReference | ComputeNodeIdentityReferenceDict
    ]


class ContainerRegistry(BatchModel):
    """A private container registry: user name and password, or an identity reference."""

    _sdk_model = sdk.ContainerRegistryReference
    _fields = (
        Field("user_name", "str", "str", sdk_attr="username"),
        Field("password", "str", "str"),
        Field("registry_server", "str", "str"),
        Field(
            "identity_reference",
            "model",
            "ComputeNodeIdentityReference",
            model="ComputeNodeIdentityReference",
        ),
    )
    user_name: pulumi.Input[str] | None
    password: pulumi.Input[str] | None
    registry_server: pulumi.Input[str] | None
    identity_reference: (
        pulumi.Input[ComputeNodeIdentityReference | ComputeNodeIdentityReferenceDict] | None
    )

    def __init__(
        self,
        *,
        user_name: pulumi.Input[str] | None = None,
        password: pulumi.Input[str] | None = None,
        registry_server: pulumi.Input[str] | None = None,
        identity_reference: (
            pulumi.Input[ComputeNodeIdentityReference | ComputeNodeIdentityReferenceDict] | None
        ) = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            user_name=user_name,
            password=password,
            registry_server=registry_server,
            identity_reference=identity_reference,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_registry(errors, "", self.to_plain())
        return errors


class ContainerHostBatchBindMountEntryDict(TypedDict, total=False):
    """A Batch host path mounted into a task container."""

    source: pulumi.Input[str]
    is_read_only: pulumi.Input[bool]


class ContainerHostBatchBindMountEntry(BatchModel):
    """A Batch host path (``Shared``, ``Startup``, ``VfsMounts``, ``Task``, ``JobPrep``,
    ``Applications``) mounted into a task container."""

    _sdk_model = sdk.ContainerHostBatchBindMountEntry
    _fields = (
        Field("source", "enum", "ContainerHostDataPath", enum=sdk.ContainerHostDataPath),
        Field("is_read_only", "bool", "bool"),
    )
    source: pulumi.Input[str] | None
    is_read_only: pulumi.Input[bool] | None

    def __init__(
        self,
        *,
        source: pulumi.Input[str] | None = None,
        is_read_only: pulumi.Input[bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(source=source, is_read_only=is_read_only, **kwargs)

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_bind_mount(errors, "", self.to_plain())
        return errors


class TaskContainerSettingsDict(TypedDict, total=False):
    """The container a task runs in."""

    image_name: Required[pulumi.Input[str]]
    container_run_options: pulumi.Input[str]
    registry: pulumi.Input[ContainerRegistry | ContainerRegistryDict]
    working_directory: pulumi.Input[str]
    container_host_batch_bind_mounts: pulumi.Input[
        list[ContainerHostBatchBindMountEntry | ContainerHostBatchBindMountEntryDict]
    ]


class TaskContainerSettings(BatchModel):
    """The container a task runs in: image, registry, run options, working directory, mounts."""

    _sdk_model = sdk.BatchTaskContainerSettings
    _fields = (
        Field("container_run_options", "str", "str"),
        Field("image_name", "str", "str"),
        Field("registry", "model", "ContainerRegistry", model="ContainerRegistry"),
        Field(
            "working_directory",
            "enum",
            "ContainerWorkingDirectory",
            enum=sdk.ContainerWorkingDirectory,
        ),
        Field(
            "container_host_batch_bind_mounts",
            "models",
            "[ContainerHostBatchBindMountEntry]",
            model="ContainerHostBatchBindMountEntry",
        ),
    )
    image_name: pulumi.Input[str]
    container_run_options: pulumi.Input[str] | None
    registry: pulumi.Input[ContainerRegistry | ContainerRegistryDict] | None
    working_directory: pulumi.Input[str] | None
    container_host_batch_bind_mounts: (
        pulumi.Input[list[ContainerHostBatchBindMountEntry | ContainerHostBatchBindMountEntryDict]]
        | None
    )

    def __init__(
        self,
        *,
        image_name: pulumi.Input[str],
        container_run_options: pulumi.Input[str] | None = None,
        registry: pulumi.Input[ContainerRegistry | ContainerRegistryDict] | None = None,
        working_directory: pulumi.Input[str] | None = None,
        container_host_batch_bind_mounts: (
            pulumi.Input[
                list[ContainerHostBatchBindMountEntry | ContainerHostBatchBindMountEntryDict]
            ]
            | None
        ) = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            image_name=image_name,
            container_run_options=container_run_options,
            registry=registry,
            working_directory=working_directory,
            container_host_batch_bind_mounts=container_host_batch_bind_mounts,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_container_settings(errors, "", self.to_plain())
        return errors


class TaskConstraintsDict(TypedDict, total=False):
    """Execution limits of a task."""

    max_wall_clock_time: pulumi.Input[timedelta]
    retention_time: pulumi.Input[timedelta]
    max_task_retry_count: pulumi.Input[int]


class TaskConstraints(BatchModel):
    """Execution limits of a task: wall clock, directory retention, retries (-1: unlimited)."""

    _sdk_model = sdk.BatchTaskConstraints
    _fields = (
        Field("max_wall_clock_time", "duration", "duration"),
        Field("retention_time", "duration", "duration"),
        Field("max_task_retry_count", "int", "int"),
    )
    max_wall_clock_time: pulumi.Input[timedelta] | None
    retention_time: pulumi.Input[timedelta] | None
    max_task_retry_count: pulumi.Input[int] | None

    def __init__(
        self,
        *,
        max_wall_clock_time: pulumi.Input[timedelta] | None = None,
        retention_time: pulumi.Input[timedelta] | None = None,
        max_task_retry_count: pulumi.Input[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            max_wall_clock_time=max_wall_clock_time,
            retention_time=retention_time,
            max_task_retry_count=max_task_retry_count,
            **kwargs,
        )

    def validate(self) -> list[ValidationError]:
        errors: list[ValidationError] = []
        validate_task_constraints(errors, "", self.to_plain())
        return errors
