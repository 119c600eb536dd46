"""The create token: stable for one resource across runs, distinct across stacks, and
never a diff (stacks created before it existed see no change)."""

from __future__ import annotations

from unittest import mock

from pulumi_azure_batch_jobs import _component
from pulumi_azure_batch_jobs._diff_plan import plan_diff


def _token(project: str, stack: str, name: str) -> str:
    with (
        mock.patch("pulumi.get_project", return_value=project),
        mock.patch("pulumi.get_stack", return_value=stack),
    ):
        return _component._create_token(name)


def test_token_is_stable_per_resource_and_distinct_across_stacks() -> None:
    assert _token("p", "dev", "job") == _token("p", "dev", "job")
    assert _token("p", "dev", "job") != _token("p", "prod", "job")
    assert _token("p", "dev", "job") != _token("q", "dev", "job")
    assert _token("p", "dev", "job") != _token("p", "dev", "job2")


def test_token_is_never_a_diff() -> None:
    olds = {"job_id": "a", "priority": 1}
    news = {"job_id": "a", "priority": 1, "create_token": "t"}
    assert not plan_diff(olds, news).changed
    assert not plan_diff({**olds, "create_token": "u"}, news).changed
