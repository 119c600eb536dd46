"""The update-vs-replace table, field by field."""

from __future__ import annotations

from typing import Any, cast

import pytest

from pulumi_azure_batch_jobs.core._diff_plan import COMPUTED, plan_diff

BASE: dict[str, Any] = {
    "job_id": "nightly",
    "pool_info": {"pool_id": "pool-a"},
    "priority": 0,
    "metadata": [{"name": "team", "value": "data"}],
    "job_preparation_task": {"command_line": "prep"},
    "job_release_task": {"command_line": "release"},
    "tasks": [{"id": "t1", "command_line": "run"}],
    "delete_timeout_seconds": 600,
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("priority", 10),
        ("max_parallel_tasks", 4),
        ("allow_task_preemption", True),
        ("constraints", {"max_wall_clock_time": "PT1H"}),
        ("on_all_tasks_complete", "terminatejob"),
        ("metadata", [{"name": "team", "value": "ml"}]),
    ],
)
def test_patchable_fields_update_in_place(field: str, value: Any) -> None:
    plan = plan_diff(BASE, {**BASE, field: value})
    assert plan.patches == [field]
    assert plan.replaces == []
    assert not plan.pool_change


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("job_id", "nightly-2"),
        ("display_name", "Nightly"),
        ("job_release_task", {"command_line": "release --v2"}),
        ("job_preparation_task", {"command_line": "prep --v2"}),
        ("job_manager_task", {"id": "m", "command_line": "manage"}),
        ("common_environment_settings", [{"name": "A", "value": "1"}]),
        ("uses_task_dependencies", True),
        ("on_task_failure", "performexitoptionsjobaction"),
        ("network_configuration", {"subnet_id": "x"}),
        ("tasks", [{"id": "t1", "command_line": "run --again"}]),
        ("endpoint", "https://other.westeurope.batch.azure.com"),
        ("account_name", "other"),
    ],
)
def test_fixed_fields_force_replacement_and_are_named(field: str, value: Any) -> None:
    plan = plan_diff(BASE, {**BASE, field: value})
    assert plan.replaces == [field]
    assert plan.patches == []


def test_pool_change_is_disable_patch_enable_not_a_replacement() -> None:
    plan = plan_diff(BASE, {**BASE, "pool_info": {"pool_id": "pool-b"}})
    assert plan.pool_change
    assert plan.replaces == [] and plan.patches == []


@pytest.mark.parametrize("field", ["delete_timeout_seconds", "on_delete", "account_key"])
def test_resource_settings_change_no_job_property(field: str) -> None:
    plan = plan_diff(BASE, {**BASE, field: "changed"})
    assert plan.settings == [field]
    assert plan.replaces == [] and plan.patches == [] and not plan.pool_change
    assert plan.changed


def test_unset_and_empty_are_the_same_to_batch() -> None:
    assert not plan_diff({**BASE, "common_environment_settings": []}, BASE).changed
    assert not plan_diff({**BASE, "max_parallel_tasks": None}, BASE).changed
    assert not plan_diff({**BASE, "metadata": None}, {**BASE, "metadata": []}).changed
    assert plan_diff(BASE, {**BASE, "metadata": []}).patches == ["metadata"]


def test_computed_outputs_never_count_as_changes() -> None:
    olds = {**BASE, **{key: "something" for key in COMPUTED}}
    assert not plan_diff(olds, BASE).changed


def test_several_changes_are_all_reported_in_order() -> None:
    news = {**BASE, "priority": 5, "job_release_task": {"command_line": "x"}, "display_name": "D"}
    plan = plan_diff(BASE, news)
    assert plan.replaces == ["display_name", "job_release_task"]
    assert plan.patches == ["priority"]


def test_the_old_job_goes_first_whenever_the_replacement_keeps_its_id() -> None:
    from pulumi_azure_batch_jobs.provider._props import BatchJobState
    from pulumi_azure_batch_jobs.provider._provider import BatchJobsProvider

    def props(**values: Any) -> BatchJobState:
        return cast(BatchJobState, {**BASE, **values})

    fixed = props(job_id_generated=False)
    generated = props(job_id_generated=True)
    fixed_v2 = props(job_id_generated=False, job_release_task={"command_line": "v2"})
    generated_v2 = props(job_id_generated=True, job_release_task={"command_line": "v2"})
    assert BatchJobsProvider.diff(fixed, fixed_v2)[1] is True
    assert BatchJobsProvider.diff(generated, generated_v2)[1] is False
    # No property forces a replacement: only `pulumi up --replace` replaces, same id.
    assert BatchJobsProvider.diff(generated, generated)[1] is True
