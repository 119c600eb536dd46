"""Each plan-time rule, valid and invalid at its boundaries, through the public classes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import pulumi_azure_batch_jobs as pab
from pulumi_azure_batch_jobs import msrest


def paths(errors: list[pab.ValidationError]) -> list[str]:
    return [e.path for e in errors]


def release(**kwargs: Any) -> list[pab.ValidationError]:
    kwargs.setdefault("command_line", "/bin/sh -c 'rm -rf $AZ_BATCH_NODE_SHARED_DIR/job'")
    return pab.JobReleaseTask(**kwargs).validate()


# --- ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize("task_id", ["a", "A" * 64, "job-release_2", "0", "-", "_"])
def test_valid_ids(task_id: str) -> None:
    assert release(id=task_id) == []


@pytest.mark.parametrize(
    ("task_id", "message"),
    [
        ("A" * 65, "must be at most 64 characters long"),
        ("", "must not be empty"),
        ("has space", "may contain only letters, digits, hyphens and underscores"),
        ("dot.ted", "may contain only letters, digits, hyphens and underscores"),
        ("ünïcode", "may contain only letters, digits, hyphens and underscores"),
    ],
)
def test_invalid_ids(task_id: str, message: str) -> None:
    (error,) = release(id=task_id)
    assert (error.path, error.message, error.value) == ("id", message, task_id)


def test_id_must_be_a_string() -> None:
    (error,) = release(id=5)
    assert str(error) == "id: must be a string (got 5)"


# --- command line ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [(None, "is required"), ("", "must not be empty"), ("   ", "must not be empty")],
)
def test_command_line_required_and_non_empty(value: str | None, message: str) -> None:
    (error,) = release(command_line=value)
    assert (error.path, error.message) == ("command_line", message)


# --- release wall clock and durations ------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [timedelta(minutes=15), timedelta(microseconds=1), "PT15M", "PT14M59.999999S", "PT900S"],
)
def test_release_wall_clock_up_to_15_minutes(value: Any) -> None:
    assert release(max_wall_clock_time=value) == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (timedelta(minutes=15, seconds=1), "0:15:01"),
        (timedelta(minutes=20), "0:20:00"),
        ("PT15M0.000001S", "0:15:00.000001"),
        ("P1D", "1 day, 0:00:00"),
    ],
)
def test_release_wall_clock_over_15_minutes(value: Any, shown: str) -> None:
    (error,) = release(max_wall_clock_time=value)
    assert str(error) == f"max_wall_clock_time: must be at most 15 minutes (got {shown})"


@pytest.mark.parametrize("value", [timedelta(0), timedelta(seconds=-1), "PT0S", "-PT5M"])
@pytest.mark.parametrize("field", ["max_wall_clock_time", "retention_time"])
def test_durations_must_be_positive(field: str, value: Any) -> None:
    (error,) = release(**{field: value})
    assert (error.path, error.message) == (field, "must be a positive duration")


@pytest.mark.parametrize("value", ["15 minutes", "P1Y", "P", 900])
def test_durations_must_be_durations(value: Any) -> None:
    errors = release(retention_time=value)
    assert paths(errors) == ["retention_time"]
    assert errors[0].message.startswith("must be a duration")


def test_retention_time_has_no_upper_bound() -> None:
    assert release(retention_time=timedelta(days=365)) == []


# --- resource files ---------------------------------------------------------------------------


def rf_errors(**kwargs: Any) -> list[pab.ValidationError]:
    return pab.ResourceFile(**kwargs).validate()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"http_url": "https://a.blob.core.windows.net/c/f.sh", "file_path": "f.sh"},
        {"storage_container_url": "https://a.blob.core.windows.net/c?sas"},
        {"auto_storage_container_name": "scripts", "file_path": "dir/sub", "blob_prefix": "x/"},
        {"http_url": "http://h/f", "file_path": "a/b/c", "file_mode": "0755"},
        {"http_url": "http://h/f", "file_path": "f", "file_mode": "644"},
    ],
)
def test_valid_resource_files(kwargs: dict[str, Any]) -> None:
    assert rf_errors(**kwargs) == []


@pytest.mark.parametrize(
    ("kwargs", "path", "message"),
    [
        ({}, "", "must set exactly one of"),
        (
            {"http_url": "https://h/f", "storage_container_url": "https://h/c", "file_path": "f"},
            "",
            "must set exactly one of",
        ),
        ({"http_url": "https://h/f"}, "file_path", "is required when http_url is set"),
        ({"http_url": "https://h/f", "file_path": "/etc/passwd"}, "file_path", "must be relative"),
        ({"http_url": "https://h/f", "file_path": "C:\\x"}, "file_path", "must be relative"),
        (
            {"http_url": "https://h/f", "file_path": "a/../../x"},
            "file_path",
            "must not contain '..'",
        ),
        (
            {"http_url": "https://h/f", "file_path": "a\\..\\x"},
            "file_path",
            "must not contain '..'",
        ),
        ({"http_url": "https://h/f", "file_path": "f", "file_mode": "0855"}, "file_mode", "octal"),
        ({"http_url": "https://h/f", "file_path": "f", "file_mode": "rwx"}, "file_mode", "octal"),
        ({"http_url": "https://h/f", "file_path": "f", "file_mode": "07777"}, "file_mode", "octal"),
        ({"http_url": "ftp://h/f", "file_path": "f"}, "http_url", "absolute http or https URL"),
        ({"storage_container_url": "not a url"}, "storage_container_url", "absolute http"),
        (
            {"http_url": "https://h/f", "file_path": "f", "blob_prefix": "p"},
            "blob_prefix",
            "applies only with",
        ),
        ({"auto_storage_container_name": ""}, "auto_storage_container_name", "must not be empty"),
    ],
)
def test_invalid_resource_files(kwargs: dict[str, Any], path: str, message: str) -> None:
    errors = rf_errors(**kwargs)
    assert any(e.path == path and message in e.message for e in errors), errors


def test_resource_file_path_in_a_task() -> None:
    errors = release(resource_files=[{"http_url": "https://h/a", "file_path": "a"}, {}])
    assert paths(errors) == ["resource_files[1]"]
    assert "auto_storage_container_name, storage_container_url, http_url" in str(errors[0])


# --- environment settings ----------------------------------------------------------------------


def test_environment_setting_names() -> None:
    assert release(environment_settings=[{"name": "A"}, {"name": "a", "value": ""}]) == []
    errors = release(
        environment_settings=[
            {"name": "A", "value": "1"},
            {"name": "", "value": "2"},
            pab.EnvironmentSetting(name="A", value="3"),
            {"name": "B=C"},
            {"value": "no name"},
        ]
    )
    assert [(e.path, e.message) for e in errors] == [
        ("environment_settings[1].name", "must not be empty"),
        ("environment_settings[2].name", "duplicates environment_settings[0].name"),
        ("environment_settings[3].name", "must not contain '='"),
        ("environment_settings[4].name", "is required"),
    ]


# --- user identity -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "identity",
    [
        {"user_name": "batchuser"},
        {"auto_user": {}},
        {"auto_user": {"scope": "task", "elevation_level": "admin"}},
        {"auto_user": {"scope": "Pool", "elevation_level": "NonAdmin"}},
        pab.UserIdentity(auto_user=pab.AutoUserSpecification(scope="pool")),
    ],
)
def test_valid_user_identities(identity: Any) -> None:
    assert release(user_identity=identity) == []


@pytest.mark.parametrize(
    ("identity", "path", "message"),
    [
        (
            {"user_name": "u", "auto_user": {}},
            "user_identity",
            "user_name and auto_user are mutually exclusive",
        ),
        ({}, "user_identity", "must set either user_name or auto_user"),
        (
            {"auto_user": {"scope": "node"}},
            "user_identity.auto_user.scope",
            "must be one of task, pool",
        ),
        (
            {"auto_user": {"elevation_level": "root"}},
            "user_identity.auto_user.elevation_level",
            "must be one of nonadmin, admin",
        ),
        ({"user_name": ""}, "user_identity.user_name", "must not be empty"),
    ],
)
def test_invalid_user_identities(identity: Any, path: str, message: str) -> None:
    errors = release(user_identity=identity)
    assert [(e.path, e.message) for e in errors] == [(path, message)]


# --- container settings ------------------------------------------------------------------------


def test_container_settings_rules() -> None:
    good = pab.TaskContainerSettings(
        image_name="ubuntu:22.04",
        container_run_options="--rm",
        registry={"registry_server": "r.azurecr.io", "user_name": "u", "password": "p"},
        working_directory="containerImageDefault",
        container_host_batch_bind_mounts=[{"source": "Shared", "is_read_only": True}],
    )
    assert good.validate() == []
    bad = pab.TaskContainerSettings(
        image_name="",
        registry={"user_name": "u", "identity_reference": {"resource_id": "/x"}},
        working_directory="home",
        container_host_batch_bind_mounts=[
            {"source": "Root"},
            {"source": "task", "is_read_only": 1},  # type: ignore[list-item]  # on purpose
        ],
    )
    assert [(e.path, e.message) for e in bad.validate()] == [
        ("image_name", "must not be empty"),
        ("registry.password", "is required with user_name"),
        (
            "registry.identity_reference",
            "is an alternative to user_name and password, not an addition",
        ),
        ("working_directory", "must be one of taskWorkingDirectory, containerImageDefault"),
        (
            "container_host_batch_bind_mounts[0].source",
            "must be one of Shared, Startup, VfsMounts, Task, JobPrep, Applications",
        ),
        ("container_host_batch_bind_mounts[1].is_read_only", "must be true or false"),
    ]
    (missing,) = release(container_settings={"container_run_options": "--rm"})
    assert (missing.path, missing.message) == ("container_settings.image_name", "is required")


# --- task constraints, manager, preparation, initial tasks ------------------------------------


@pytest.mark.parametrize(("count", "ok"), [(-2, False), (-1, True), (0, True), (1000, True)])
def test_max_task_retry_count(count: int, ok: bool) -> None:
    errors = pab.TaskConstraints(max_task_retry_count=count).validate()
    assert (errors == []) is ok
    assert pab.JobConstraints(max_task_retry_count=count).validate() == errors


@pytest.mark.parametrize(("slots", "ok"), [(0, False), (1, True), (256, True), (-1, False)])
def test_required_slots(slots: int, ok: bool) -> None:
    manager = pab.JobManagerTask(id="m", command_line="x", required_slots=slots)
    task = pab.BatchTaskArgs(id="t", command_line="x", required_slots=slots)
    assert (manager.validate() == []) is ok
    assert (task.validate() == []) is ok


def test_multi_instance_task_uses_one_slot() -> None:
    task = pab.BatchTaskArgs(
        id="t",
        command_line="x",
        required_slots=2,
        multi_instance_settings={"numberOfInstances": 2, "coordinationCommandLine": "c"},
    )
    assert [e.path for e in task.validate()] == ["required_slots"]


def test_manager_id_required_and_display_name_bounded() -> None:
    manager = pab.JobManagerTask.from_dict({"command_line": "x", "display_name": "d" * 1025})
    assert [(e.path, e.message) for e in manager.validate()] == [
        ("id", "is required"),
        ("display_name", "must be at most 1024 characters long"),
    ]
    assert pab.JobManagerTask(id="m", command_line="x", display_name="é" * 1024).validate() == []


def test_preparation_task_flags_and_constraints() -> None:
    prep = pab.JobPreparationTask(
        command_line="x",
        wait_for_success="yes",  # type: ignore[arg-type]  # a bad value on purpose
        constraints={"max_wall_clock_time": timedelta(0), "retention_time": "PT1H"},  # type: ignore[arg-type]
    )
    assert [(e.path, e.message) for e in prep.validate()] == [
        ("constraints.max_wall_clock_time", "must be a positive duration"),
        ("wait_for_success", "must be true or false"),
    ]


def test_task_dependency_ranges() -> None:
    deps = pab.TaskDependencies(task_ids=["a", "b c"], task_id_ranges=[{"start": 5, "end": 4}])
    assert [(e.path, e.message) for e in deps.validate()] == [
        ("task_ids[1]", "may contain only letters, digits, hyphens and underscores"),
        ("task_id_ranges[0].end", "must be at least start (5)"),
    ]
    assert pab.TaskIdRange(start=1, end=1).validate() == []
    assert [e.path for e in pab.TaskIdRange.from_dict({"start": 1}).validate()] == ["end"]


def test_metadata_items() -> None:
    assert pab.MetadataItem(name="owner", value="").validate() == []
    errors = pab.MetadataItem.from_dict({"name": ""}).validate()
    assert [(e.path, e.message) for e in errors] == [
        ("name", "must not be empty"),
        ("value", "is required"),
    ]


def test_each_small_type_validates_on_its_own() -> None:
    cases: list[tuple[msrest.BatchModel, list[str]]] = [
        (pab.AutoPoolSpecification(pool_lifetime_option="jobschedule"), ["pool_lifetime_option"]),
        (pab.AutoPoolSpecification(pool_lifetime_option="Job", pool={"vmSize": "x"}), []),
        (pab.PoolInformation(pool_id="p"), []),
        (pab.PoolInformation(), [""]),
        (pab.ComputeNodeIdentityReference(), ["resource_id"]),
        (pab.ContainerRegistry(password="p"), ["user_name"]),
        (pab.ContainerRegistry(identity_reference={"resource_id": "/id"}), []),
        (pab.ContainerHostBatchBindMountEntry(source="Root"), ["source"]),
        (pab.JobConstraints(max_wall_clock_time=timedelta(0)), ["max_wall_clock_time"]),
        (pab.EnvironmentSetting(name="a=b"), ["name"]),
        (pab.AutoUserSpecification(scope="node"), ["scope"]),
        (pab.TaskIdRange(start=2, end=1), ["end"]),
    ]
    for model, expected in cases:
        assert paths(model.validate()) == expected, model
