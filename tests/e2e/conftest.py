"""Fixtures for end-to-end tests: the real emulator and stacks of the BatchJob program."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.batch import BatchClient
from azure.core.credentials import AzureNamedKeyCredential
from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle, start_emulator
from tests.support.job_stacks import BATCH_JOB_PROGRAM, StackFactory
from tests.support.pulumi_stack import local_stack
from tests.support.schedule_stacks import SCHEDULE_PROGRAM


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorHandle]:
    with start_emulator(nodes=2, slots=2) as handle:
        yield handle


@pytest.fixture
def batch(emulator: EmulatorHandle) -> BatchClient:
    return BatchClient(emulator.endpoint, AzureNamedKeyCredential(emulator.account, emulator.key))


@pytest.fixture
def job_stack(tmp_path: Path, emulator: EmulatorHandle) -> StackFactory:
    """Make a stack of the BatchJob program for a job spec (attribute or REST keys)."""

    def make(
        spec: dict[str, Any],
        settings: dict[str, Any] | None = None,
        *,
        account: dict[str, str] | None = None,
        secrets: dict[str, str] | None = None,
        extra_env: dict[str, str] | None = None,
        config: dict[str, str] | None = None,
    ) -> auto.Stack:
        """``account`` replaces the shared-key account config; ``secrets`` add secret config."""
        if account is None:
            account = {
                "azure-batch-jobs:endpoint": emulator.endpoint,
                "azure-batch-jobs:accountName": emulator.account,
            }
            secrets = {"azure-batch-jobs:accountKey": emulator.key, **(secrets or {})}
        return local_stack(
            BATCH_JOB_PROGRAM,
            tmp_path / "pulumi",
            config={
                "job": json.dumps(spec),
                "settings": json.dumps(settings or {}),
                **account,
                **(config or {}),
            },
            secrets=secrets,
            extra_env=extra_env,
        )

    return make


@pytest.fixture
def schedule_stack(tmp_path: Path, emulator: EmulatorHandle) -> Callable[..., auto.Stack]:
    """Make a stack of the BatchJobSchedule program for a schedule spec."""

    def make(spec: dict[str, Any], settings: dict[str, Any] | None = None) -> auto.Stack:
        return local_stack(
            SCHEDULE_PROGRAM,
            tmp_path / "pulumi",
            config={
                "schedule": json.dumps(spec),
                "settings": json.dumps(settings or {}),
                "azure-batch-jobs:endpoint": emulator.endpoint,
                "azure-batch-jobs:accountName": emulator.account,
            },
            secrets={"azure-batch-jobs:accountKey": emulator.key},
        )

    return make
