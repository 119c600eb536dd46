"""Validation of the building blocks every task shares: files, environment, identity, container.

Functions take attribute-keyed plain values (see ``BatchModel.normalize``) and a field path.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from ._enums import (
    AutoUserScope,
    ContainerHostDataPath,
    ContainerWorkingDirectory,
    ElevationLevel,
)
from ._errors import ValidationError
from ._rules import (
    Errors,
    at,
    check_bool,
    check_duration,
    check_enum,
    check_int,
    check_list,
    check_mapping,
    check_required_text,
    check_text,
    known,
)

__all__ = [
    "validate_auto_user",
    "validate_bind_mount",
    "validate_container_settings",
    "validate_environment_setting",
    "validate_environment_settings",
    "validate_identity_reference",
    "validate_metadata",
    "validate_metadata_item",
    "validate_registry",
    "validate_resource_file",
    "validate_resource_files",
    "validate_task_constraints",
    "validate_user_identity",
]

_SOURCES = ("auto_storage_container_name", "storage_container_url", "http_url")
_FILE_MODE = re.compile(r"[0-7]{3,4}")
_DRIVE = re.compile(r"[A-Za-z]:")


def validate_environment_setting(errors: Errors, path: str, value: Any) -> str | None:
    """A name (required, without ``=``) and an optional value; returns the known name."""
    setting = check_mapping(errors, path, value)
    if setting is None:
        return None
    name = check_required_text(errors, at(path, "name"), setting.get("name"))
    check_text(errors, at(path, "value"), setting.get("value"))
    if name is not None and "=" in name:
        errors.append(ValidationError(at(path, "name"), "must not contain '='", name))
        return None
    return name


def validate_environment_settings(errors: Errors, path: str, value: Any) -> None:
    """Each setting, with names unique within the list."""
    seen: dict[str, str] = {}
    for i, item in enumerate(check_list(errors, path, value) or []):
        here = at(path, i)
        name = validate_environment_setting(errors, here, item)
        if name is None:
            continue
        if name in seen:
            errors.append(ValidationError(at(here, "name"), f"duplicates {seen[name]}.name", name))
        else:
            seen[name] = here


def validate_identity_reference(errors: Errors, path: str, value: Any) -> None:
    """A user-assigned identity: its ARM resource id."""
    ref = check_mapping(errors, path, value)
    if ref is not None:
        check_required_text(errors, at(path, "resource_id"), ref.get("resource_id"))


def _check_url(errors: Errors, path: str, value: Any) -> None:
    text = check_text(errors, path, value)
    if text is None:
        return
    parsed = urlparse(text)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        errors.append(ValidationError(path, "must be an absolute http or https URL", text))


def _check_relative_path(errors: Errors, path: str, value: Any) -> None:
    text = check_text(errors, path, value)
    if text is None:
        return
    if not text.strip():
        errors.append(ValidationError(path, "must not be empty", text))
    elif text.startswith(("/", "\\")) or _DRIVE.match(text):
        errors.append(ValidationError(path, "must be relative to the task working directory", text))
    elif ".." in re.split(r"[\\/]", text):
        errors.append(ValidationError(path, "must not contain '..'", text))


def validate_resource_file(errors: Errors, path: str, value: Any) -> None:
    """Exactly one source; file path relative (required for http_url); octal file mode."""
    rf = check_mapping(errors, path, value)
    if rf is None:
        return
    present = [name for name in _SOURCES if rf.get(name) is not None]
    if len(present) != 1 and all(known(rf[name]) for name in present):
        errors.append(
            ValidationError(
                path,
                "must set exactly one of auto_storage_container_name, storage_container_url, "
                "http_url",
                present,
            )
        )
    if rf.get("auto_storage_container_name") is not None:
        check_required_text(
            errors, at(path, "auto_storage_container_name"), rf["auto_storage_container_name"]
        )
    _check_url(errors, at(path, "storage_container_url"), rf.get("storage_container_url"))
    _check_url(errors, at(path, "http_url"), rf.get("http_url"))
    if rf.get("http_url") is not None and rf.get("file_path") is None:
        errors.append(
            ValidationError(at(path, "file_path"), "is required when http_url is set", None)
        )
    if rf.get("http_url") is not None and rf.get("blob_prefix") is not None:
        errors.append(
            ValidationError(
                at(path, "blob_prefix"),
                "applies only with auto_storage_container_name or storage_container_url",
                rf.get("blob_prefix"),
            )
        )
    check_text(errors, at(path, "blob_prefix"), rf.get("blob_prefix"))
    _check_relative_path(errors, at(path, "file_path"), rf.get("file_path"))
    mode = check_text(errors, at(path, "file_mode"), rf.get("file_mode"))
    if mode is not None and not _FILE_MODE.fullmatch(mode):
        errors.append(
            ValidationError(at(path, "file_mode"), "must be an octal mode such as 0755", mode)
        )
    if rf.get("identity_reference") is not None:
        validate_identity_reference(
            errors, at(path, "identity_reference"), rf["identity_reference"]
        )


def validate_resource_files(errors: Errors, path: str, value: Any) -> None:
    """Each resource file of a list."""
    for i, item in enumerate(check_list(errors, path, value) or []):
        validate_resource_file(errors, at(path, i), item)


def validate_user_identity(errors: Errors, path: str, value: Any) -> None:
    """Either a named user or an auto-user (scope and elevation level), not both."""
    identity = check_mapping(errors, path, value)
    if identity is None:
        return
    user_name, auto_user = identity.get("user_name"), identity.get("auto_user")
    if user_name is not None and auto_user is not None:
        errors.append(
            ValidationError(path, "user_name and auto_user are mutually exclusive", user_name)
        )
    elif user_name is None and auto_user is None:
        errors.append(ValidationError(path, "must set either user_name or auto_user", None))
    if user_name is not None:
        check_required_text(errors, at(path, "user_name"), user_name)
    if auto_user is not None:
        validate_auto_user(errors, at(path, "auto_user"), auto_user)


def validate_auto_user(errors: Errors, path: str, value: Any) -> None:
    """Scope and elevation level among Batch's values."""
    auto = check_mapping(errors, path, value)
    if auto is not None:
        check_enum(errors, at(path, "scope"), auto.get("scope"), AutoUserScope)
        check_enum(errors, at(path, "elevation_level"), auto.get("elevation_level"), ElevationLevel)


def validate_registry(errors: Errors, path: str, value: Any) -> None:
    """User name and password together, or an identity reference instead."""
    registry = check_mapping(errors, path, value)
    if registry is None:
        return
    user, password = registry.get("user_name"), registry.get("password")
    check_text(errors, at(path, "user_name"), user)
    check_text(errors, at(path, "password"), password)
    check_text(errors, at(path, "registry_server"), registry.get("registry_server"))
    if (user is None) != (password is None):
        missing = "password" if password is None else "user_name"
        other = "user_name" if missing == "password" else "password"
        errors.append(ValidationError(at(path, missing), f"is required with {other}", None))
    if registry.get("identity_reference") is not None:
        if user is not None or password is not None:
            errors.append(
                ValidationError(
                    at(path, "identity_reference"),
                    "is an alternative to user_name and password, not an addition",
                    registry["identity_reference"],
                )
            )
        validate_identity_reference(
            errors, at(path, "identity_reference"), registry["identity_reference"]
        )


def validate_container_settings(errors: Errors, path: str, value: Any) -> None:
    """Image required; registry credentials consistent; known working directory and mounts."""
    settings = check_mapping(errors, path, value)
    if settings is None:
        return
    check_required_text(errors, at(path, "image_name"), settings.get("image_name"))
    check_text(errors, at(path, "container_run_options"), settings.get("container_run_options"))
    if settings.get("registry") is not None:
        validate_registry(errors, at(path, "registry"), settings["registry"])
    check_enum(
        errors,
        at(path, "working_directory"),
        settings.get("working_directory"),
        ContainerWorkingDirectory,
    )
    mounts_path = at(path, "container_host_batch_bind_mounts")
    mounts = check_list(errors, mounts_path, settings.get("container_host_batch_bind_mounts"))
    for i, item in enumerate(mounts or []):
        validate_bind_mount(errors, at(mounts_path, i), item)


def validate_bind_mount(errors: Errors, path: str, value: Any) -> None:
    """A known host data path and a boolean read-only flag."""
    mount = check_mapping(errors, path, value)
    if mount is not None:
        check_enum(errors, at(path, "source"), mount.get("source"), ContainerHostDataPath)
        check_bool(errors, at(path, "is_read_only"), mount.get("is_read_only"))


def validate_task_constraints(errors: Errors, path: str, value: Any) -> None:
    """Positive durations; retry count -1 (unlimited) or more."""
    constraints = check_mapping(errors, path, value)
    if constraints is None:
        return
    check_duration(errors, at(path, "max_wall_clock_time"), constraints.get("max_wall_clock_time"))
    check_duration(errors, at(path, "retention_time"), constraints.get("retention_time"))
    check_int(
        errors,
        at(path, "max_task_retry_count"),
        constraints.get("max_task_retry_count"),
        minimum=-1,
        words="must be -1 (retry without limit) or at least 0",
    )


def validate_metadata_item(errors: Errors, path: str, value: Any) -> None:
    """A name-value pair: both required."""
    entry = check_mapping(errors, path, value)
    if entry is None:
        return
    check_required_text(errors, at(path, "name"), entry.get("name"))
    if entry.get("value") is None:
        errors.append(ValidationError(at(path, "value"), "is required", None))
    check_text(errors, at(path, "value"), entry.get("value"))


def validate_metadata(errors: Errors, path: str, value: Any) -> None:
    """Each metadata item of a list."""
    for i, item in enumerate(check_list(errors, path, value) or []):
        validate_metadata_item(errors, at(path, i), item)
