"""The create token: stable for one resource across runs, distinct across stacks, the
value earlier releases stamped their jobs with, and never a diff."""

from __future__ import annotations

import hashlib

from pulumi_azure_batch_jobs.core._diff_plan import plan_diff
from pulumi_azure_batch_jobs.provider._provider import Urn


def _token(project: str, stack: str, name: str) -> str:
    return Urn.parse(
        f"urn:pulumi:{stack}::{project}::azure-batch-jobs:index:BatchJob::{name}"
    ).create_token()


def test_token_is_stable_per_resource_and_distinct_across_stacks() -> None:
    assert _token("p", "dev", "job") == _token("p", "dev", "job")
    assert _token("p", "dev", "job") != _token("p", "prod", "job")
    assert _token("p", "dev", "job") != _token("q", "dev", "job")
    assert _token("p", "dev", "job") != _token("p", "dev", "job2")


def test_token_is_the_one_the_dynamic_provider_release_stamped() -> None:
    # 0.1's component: sha256(project \0 stack \0 "azure-batch-jobs:index:BatchJob" \0 name).
    identity = "p\0dev\0azure-batch-jobs:index:BatchJob\0job"
    assert _token("p", "dev", "job") == hashlib.sha256(identity.encode()).hexdigest()[:32]
    # A parent's type in the URN does not change it (0.1 used the component's type alone).
    child = "urn:pulumi:dev::p::my:index:Group$azure-batch-jobs:index:BatchJob::job"
    assert Urn.parse(child).create_token() == _token("p", "dev", "job")


def test_token_is_never_a_diff() -> None:
    olds = {"job_id": "a", "priority": 1}
    news = {"job_id": "a", "priority": 1, "create_token": "t"}
    assert not plan_diff(olds, news).changed
    assert not plan_diff({**olds, "create_token": "u"}, news).changed
