"""The create token through the native provider against the emulator: derived from the
resource's URN, recorded on the job (not in state), kept across updates, and what lets a
retried create recognise its own job."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, cast

from batch_emulator.testing import EmulatorHandle
from pulumi_azure_batch_jobs.core._stamp import CREATE_MARKER_NAME, MANAGED_BY_NAME
from pulumi_azure_batch_jobs.provider._props import BatchJobInputs, BatchJobState
from pulumi_azure_batch_jobs.provider._provider import Urn
from tests.support.native_provider import URN, configured, create, ignore


def _props(job_id: str, **extra: Any) -> BatchJobInputs:
    """Inputs as the engine sends them (the job's fields are not keys of the TypedDict)."""
    return cast(BatchJobInputs, {"job_id": job_id, "pool_info": {"pool_id": "default"}, **extra})


def _state(outs: Mapping[str, Any]) -> BatchJobState:
    """Outputs as the engine hands them back as the next operation's olds."""
    return cast(BatchJobState, dict(outs))


def _metadata(emulator: EmulatorHandle, job_id: str) -> dict[str, str]:
    job = configured(emulator)._service({}, ignore).get(job_id) or {}
    return {m["name"]: m["value"] for m in job.get("metadata") or []}


def test_the_job_carries_the_urns_token_and_the_state_does_not(emulator: EmulatorHandle) -> None:
    outs = create(configured(emulator), "once", _props("token-once"))
    metadata = _metadata(emulator, "token-once")
    assert metadata[CREATE_MARKER_NAME] == Urn.parse(URN.format(name="once")).create_token()
    assert metadata[MANAGED_BY_NAME] == f"native:{outs['owner']}"
    assert not {"create_token", "create_id"} & set(outs)
    assert outs.get("metadata") is None, "the markers are not the user's metadata"


def test_a_metadata_update_keeps_the_token(emulator: EmulatorHandle) -> None:
    provider = configured(emulator)
    olds = _state(create(provider, "kept", _props("token-kept")))
    urn = URN.format(name="kept")
    news, _ = provider.check(
        urn, olds, _props("token-kept", metadata=[{"name": "k", "value": "v"}])
    )
    outs = dict(asyncio.run(provider.update(urn, olds, news, ignore)))

    metadata = _metadata(emulator, "token-kept")
    assert metadata[CREATE_MARKER_NAME] == Urn.parse(urn).create_token()
    assert metadata["k"] == "v"
    assert outs["metadata"] == [{"name": "k", "value": "v"}]


def test_a_repeated_create_takes_its_own_job_and_another_resource_does_not(
    emulator: EmulatorHandle,
) -> None:
    provider = configured(emulator)
    first = create(provider, "again", _props("token-again"))
    assert (
        create(provider, "again", _props("token-again"))["creation_time"] == first["creation_time"]
    )
    try:
        create(provider, "other", _props("token-again"))
    except Exception as exc:
        assert "was not created by this resource" in str(exc)
    else:
        raise AssertionError("another resource took the job")
