"""The native provider's operations called in-process, configured for an emulator."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, cast

from batch_emulator.testing import EmulatorHandle
from pulumi_azure_batch_jobs.provider._props import BatchJobInputs
from pulumi_azure_batch_jobs.provider._provider import BatchJobsProvider

#: The URN of a top-level ``BatchJob`` named ``name`` in stack ``test`` of project ``proj``.
URN = "urn:pulumi:test::proj::azure-batch-jobs:index:BatchJob::{name}"


def configured(emulator: EmulatorHandle) -> BatchJobsProvider:
    """A provider configured as the engine would for the emulator's account."""
    provider = BatchJobsProvider()
    provider.configure(
        {"endpoint": emulator.endpoint, "accountName": emulator.account, "accountKey": emulator.key}
    )
    return provider


def ignore(_message: str) -> None:
    return None


def create(provider: BatchJobsProvider, name: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """``check`` then ``create``, as ``pulumi up`` runs them for a new resource."""
    urn = URN.format(name=name)
    inputs, failures = provider.check(urn, {}, cast(BatchJobInputs, props))
    assert not failures, failures
    return dict(asyncio.run(provider.create(urn, inputs, ignore)))
