"""Job-level and cross-field rules, unknown values, and the message format."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pulumi
import pytest
from pulumi.runtime.rpc import UNKNOWN

import pulumi_azure_batch_jobs as pab


def job(**overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"id": "nightly-build", "pool_info": {"pool_id": "linux-pool"}}
    spec.update(overrides)
    return spec


def errors_of(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e.path, e.message) for e in pab.validate_job(spec)]


def test_minimal_job_is_valid() -> None:
    assert pab.validate_job(job()) == []


def test_message_format_names_path_and_value() -> None:
    spec = job(
        job_preparation_task={"command_line": "setup.sh"},
        job_release_task={
            "command_line": "cleanup.sh",
            "max_wall_clock_time": timedelta(minutes=20),
        },
    )
    (error,) = pab.validate_job(spec)
    assert str(error) == (
        "job_release_task.max_wall_clock_time: must be at most 15 minutes (got 0:20:00)"
    )
    assert (error.path, error.value) == (
        "job_release_task.max_wall_clock_time",
        timedelta(minutes=20),
    )
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("value", "ok"), [(-1001, False), (-1000, True), (0, True), (1000, True), (1001, False)]
)
def test_priority_range(value: int, ok: bool) -> None:
    assert (errors_of(job(priority=value)) == []) is ok


@pytest.mark.parametrize(
    ("value", "ok"), [(-2, False), (-1, True), (0, False), (1, True), (500, True)]
)
def test_max_parallel_tasks(value: int, ok: bool) -> None:
    errors = errors_of(job(max_parallel_tasks=value))
    assert (errors == []) is ok
    if not ok:
        assert errors == [("max_parallel_tasks", "must be -1 (no limit) or at least 1")]


@pytest.mark.parametrize(("length", "ok"), [(1024, True), (1025, False)])
def test_display_name_length(length: int, ok: bool) -> None:
    assert (errors_of(job(display_name="ж" * length)) == []) is ok


@pytest.mark.parametrize(("length", "ok"), [(64, True), (65, False)])
def test_job_id_length(length: int, ok: bool) -> None:
    assert (errors_of(job(id="j" * length)) == []) is ok


def test_job_id_and_pool_required() -> None:
    assert errors_of({}) == [("id", "is required"), ("pool_info", "is required")]


@pytest.mark.parametrize(
    ("pool_info", "expected"),
    [
        ({"pool_id": "p"}, []),
        ({"auto_pool_specification": {"pool_lifetime_option": "job", "pool": {}}}, []),
        ({}, [("pool_info", "must set either pool_id or auto_pool_specification")]),
        (
            {"pool_id": "p", "auto_pool_specification": {"pool_lifetime_option": "job"}},
            [("pool_info", "pool_id and auto_pool_specification are mutually exclusive")],
        ),
        (
            {"auto_pool_specification": {"pool_lifetime_option": "jobschedule"}},
            [("pool_info.auto_pool_specification.pool_lifetime_option", "must be one of job")],
        ),
        (
            {"auto_pool_specification": {"auto_pool_id_prefix": "p" * 21}},
            [
                (
                    "pool_info.auto_pool_specification.auto_pool_id_prefix",
                    "must be at most 20 characters long",
                ),
                ("pool_info.auto_pool_specification.pool_lifetime_option", "is required"),
            ],
        ),
        (
            {"pool_id": "bad id"},
            [("pool_info.pool_id", "may contain only letters, digits, hyphens and underscores")],
        ),
    ],
)
def test_pool_info(pool_info: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert errors_of(job(pool_info=pool_info)) == expected


@pytest.mark.parametrize(
    ("field", "good", "bad", "allowed"),
    [
        ("on_all_tasks_complete", "TerminateJob", "terminate", "noaction, terminatejob"),
        (
            "on_task_failure",
            "performexitoptionsjobaction",
            "fail",
            "noaction, performexitoptionsjobaction",
        ),
    ],
)
def test_completion_modes(field: str, good: str, bad: str, allowed: str) -> None:
    assert errors_of(job(**{field: good})) == []
    assert errors_of(job(**{field: bad})) == [(field, f"must be one of {allowed}")]


def test_release_requires_preparation() -> None:
    assert errors_of(job(job_release_task={"command_line": "cleanup"})) == [
        ("job_preparation_task", "is required when job_release_task is set")
    ]
    assert errors_of(job(job_preparation_task={"command_line": "setup"})) == []


def test_task_ids_distinct_from_release_preparation_and_manager_case_insensitively() -> None:
    spec = job(
        job_preparation_task={"command_line": "setup"},
        job_release_task={"command_line": "cleanup"},
        job_manager_task={
            "id": "JobPreparation",
            "command_line": "m",
            "kill_job_on_completion": False,
        },
        tasks=[
            {"id": "JOBRELEASE", "command_line": "t"},
            {"id": "work", "command_line": "t"},
            {"id": "Work", "command_line": "t"},
        ],
    )
    assert errors_of(spec) == [
        (
            "job_manager_task.id",
            "must differ from job_preparation_task.id 'jobpreparation' "
            "(task ids are case-insensitive)",
        ),
        (
            "tasks[0].id",
            "must differ from job_release_task.id 'jobrelease' (task ids are case-insensitive)",
        ),
        ("tasks[2].id", "must differ from tasks[1].id 'work' (task ids are case-insensitive)"),
    ]


MANAGER_RULE = (
    "must be false when the job declares initial tasks (Batch ends the job when its Job "
    "Manager Task completes, which can be before the initial tasks are added; unset means true)"
)


@pytest.mark.parametrize("kill", [None, True])
def test_a_manager_that_ends_the_job_is_refused_with_initial_tasks(kill: bool | None) -> None:
    manager: dict[str, Any] = {"id": "manager", "command_line": "m"}
    if kill is not None:
        manager["kill_job_on_completion"] = kill
    spec = job(job_manager_task=manager, tasks=[{"id": "t0", "command_line": "t"}])
    (error,) = pab.validate_job(spec)
    assert (error.path, error.message, error.value) == (
        "job_manager_task.kill_job_on_completion",
        MANAGER_RULE,
        kill,
    )
    expected = "True" if kill else "nothing"
    assert str(error) == f"job_manager_task.kill_job_on_completion: {MANAGER_RULE} (got {expected})"
    typed = pab.BatchJobArgs.from_dict(spec)
    assert [(e.path, e.message) for e in typed.validate()] == [(error.path, MANAGER_RULE)]


def test_a_manager_that_ends_the_job_is_fine_without_initial_tasks() -> None:
    manager = {"id": "manager", "command_line": "m"}
    assert errors_of(job(job_manager_task=manager)) == []
    assert errors_of(job(job_manager_task=manager, tasks=[])) == []
    kept = {**manager, "kill_job_on_completion": False}
    assert errors_of(job(job_manager_task=kept, tasks=[{"id": "t0", "command_line": "t"}])) == []


@pytest.mark.parametrize(
    "unknown", [UNKNOWN, pulumi.Output.from_input(True)], ids=["placeholder", "output"]
)
def test_a_manager_rule_skips_unknown_values(unknown: Any) -> None:
    manager = {"id": "manager", "command_line": "m"}
    tasks = [{"id": "t0", "command_line": "t"}]
    kill_unknown = {**manager, "kill_job_on_completion": unknown}
    assert errors_of(job(job_manager_task=kill_unknown, tasks=tasks)) == []
    assert errors_of(job(job_manager_task=manager, tasks=unknown)) == []
    assert errors_of(job(job_manager_task=unknown, tasks=tasks)) == []


def test_custom_release_id_frees_the_default() -> None:
    spec = job(
        job_preparation_task={"command_line": "setup", "id": "prep"},
        job_release_task={"command_line": "cleanup", "id": "release"},
        tasks=[
            {"id": "jobrelease", "command_line": "t"},
            {"id": "jobpreparation", "command_line": "t"},
        ],
    )
    assert errors_of(spec) == []
    spec["tasks"].append({"id": "Release", "command_line": "t"})
    assert [p for p, _ in errors_of(spec)] == ["tasks[2].id"]


def test_dependencies_need_uses_task_dependencies() -> None:
    tasks: list[dict[str, Any]] = [
        {"id": "a", "command_line": "x"},
        {"id": "b", "command_line": "y", "depends_on": {"task_ids": ["a"]}},
    ]
    assert errors_of(job(tasks=tasks)) == [
        ("tasks[1].depends_on", "requires uses_task_dependencies to be true")
    ]
    assert errors_of(job(tasks=tasks, uses_task_dependencies=True)) == []
    tasks[1]["depends_on"] = {"task_ids": ["B"]}
    assert errors_of(job(tasks=tasks, uses_task_dependencies=True)) == [
        ("tasks[1].depends_on.task_ids", "must not include the task itself")
    ]


def test_common_environment_and_metadata() -> None:
    spec = job(
        common_environment_settings=[{"name": "X"}, {"name": "X", "value": "2"}],
        metadata=[{"name": "owner"}],
    )
    assert errors_of(spec) == [
        ("common_environment_settings[1].name", "duplicates common_environment_settings[0].name"),
        ("metadata[0].value", "is required"),
    ]


def test_wrong_shapes_are_reported_not_raised() -> None:
    spec = job(tasks={"id": "a"}, constraints="PT1H", job_release_task=["x"], priority="high")
    assert errors_of(spec) == [
        ("priority", "must be an integer"),
        ("constraints", "must be an object"),
        ("job_release_task", "must be an object"),
        ("job_preparation_task", "is required when job_release_task is set"),
        ("tasks", "must be a list"),
    ]
    # A list where a job mapping belongs, on purpose.
    assert pab.validate_job(["not", "a", "job"]) == [  # type: ignore[arg-type]
        pab.ValidationError("", "a job must be an object", ["not", "a", "job"])
    ]


def test_rest_keys_are_accepted() -> None:
    spec = {
        "ID": "j",
        "poolInfo": {"poolId": "p"},
        "jobReleaseTask": {"commandLine": "c", "maxWallClockTime": "PT16M"},
        "jobPreparationTask": {"commandLine": "s"},
    }
    assert errors_of(spec) == [
        ("job_release_task.max_wall_clock_time", "must be at most 15 minutes")
    ]


# --- unknown values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unknown", [UNKNOWN, pulumi.Output.from_input("x")], ids=["placeholder", "output"]
)
def test_unknown_values_are_skipped(unknown: Any) -> None:
    spec = job(
        id=unknown,
        priority=unknown,
        display_name=unknown,
        pool_info={"pool_id": unknown},
        job_preparation_task={"command_line": unknown, "id": unknown},
        job_release_task={
            "command_line": unknown,
            "max_wall_clock_time": unknown,
            "retention_time": unknown,
            "resource_files": [{"http_url": unknown, "file_path": unknown}, unknown],
            "user_identity": {"user_name": unknown},
            "environment_settings": unknown,
        },
        on_all_tasks_complete=unknown,
        uses_task_dependencies=unknown,
        tasks=[{"id": unknown, "command_line": "t", "depends_on": {"task_ids": [unknown]}}],
    )
    assert pab.validate_job(spec) == []


def test_unknown_whole_objects_are_skipped() -> None:
    assert pab.validate_job(job(pool_info=UNKNOWN, tasks=UNKNOWN, job_manager_task=UNKNOWN)) == []


def test_unknown_does_not_hide_other_errors() -> None:
    spec = job(
        priority=UNKNOWN,
        job_preparation_task={"command_line": UNKNOWN},
        job_release_task={"command_line": "c", "max_wall_clock_time": "PT30M"},
    )
    assert [p for p, _ in errors_of(spec)] == ["job_release_task.max_wall_clock_time"]


@pytest.mark.usefixtures("event_loop_for_outputs")
def test_typed_args_with_outputs_validate() -> None:
    args = pab.BatchJobArgs(
        id=pulumi.Output.from_input("j"),
        pool_info=pab.PoolInformation(pool_id=pulumi.Output.from_input("p")),
        job_release_task=pab.JobReleaseTask(
            command_line=pulumi.Output.from_input("c"), max_wall_clock_time=timedelta(minutes=16)
        ),
    )
    assert [(e.path, e.message) for e in args.validate()] == [
        ("job_release_task.max_wall_clock_time", "must be at most 15 minutes"),
        ("job_preparation_task", "is required when job_release_task is set"),
    ]
    assert pab.validate_job(args) == args.validate()


def test_dependency_list_length_limit() -> None:
    ids = [f"t{i:05d}" for i in range(10667)]  # 6 characters each: 64002 in total
    task = {"id": "last", "command_line": "x", "depends_on": {"task_ids": ids}}
    errors = pab.validate_job(job(uses_task_dependencies=True, tasks=[task]))
    assert [(e.path, e.value) for e in errors] == [
        ("tasks[0].depends_on.task_ids", "64002 characters")
    ]
    task["depends_on"] = {"task_ids": ids[:-1]}
    assert pab.validate_job(job(uses_task_dependencies=True, tasks=[task])) == []


def test_network_configuration_needs_a_subnet() -> None:
    assert errors_of(job(network_configuration={"subnetId": "/subscriptions/s/x"})) == []
    assert errors_of(job(network_configuration={"skipWithdrawFromVNet": True})) == [
        ("network_configuration.subnetId", "is required")
    ]
