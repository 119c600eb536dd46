"""The job's create token through the provider against the emulator: stored once in the
state (as the ``create_token`` input it echoes), and kept on the job across updates."""

from __future__ import annotations

from typing import Any

from pulumi_azure_batch_jobs._job_service import CREATE_MARKER_NAME
from pulumi_azure_batch_jobs.dynamic_provider import BatchJobProvider
from tests.support.emulator import EmulatorHandle


def _provider(emulator: EmulatorHandle) -> BatchJobProvider:
    provider = BatchJobProvider()
    provider._config = {
        "endpoint": emulator.endpoint,
        "accountName": emulator.account,
        "accountKey": emulator.key,
    }
    return provider


def _props(job_id: str, **extra: Any) -> dict[str, Any]:
    return {"job_id": job_id, "pool_info": {"pool_id": "default"}, **extra}


def _marker(provider: BatchJobProvider, props: dict[str, Any]) -> str | None:
    job = provider._service(props).get(str(props["job_id"])) or {}
    found = [m["value"] for m in job.get("metadata") or [] if m["name"] == CREATE_MARKER_NAME]
    return found[0] if found else None


def test_the_token_input_is_not_stored_twice(emulator: EmulatorHandle) -> None:
    provider = _provider(emulator)
    props = _props("token-once", create_token="a" * 32)
    outs = provider.create(provider.check({}, props).inputs).outs
    assert outs["create_token"] == "a" * 32
    assert "create_id" not in outs
    assert _marker(provider, props) == "a" * 32


def test_without_a_token_input_the_random_token_is_recorded(emulator: EmulatorHandle) -> None:
    provider = _provider(emulator)
    props = _props("token-random")
    outs = provider.create(provider.check({}, props).inputs).outs
    assert outs["create_id"] == _marker(provider, props)
    assert len(outs["create_id"]) == 32


def test_a_metadata_update_keeps_the_token_the_job_was_created_with(
    emulator: EmulatorHandle,
) -> None:
    provider = _provider(emulator)
    old = _props("token-kept", create_token="b" * 32)
    olds = provider.create(provider.check({}, old).inputs).outs
    # A renamed resource (alias) gets a new token input; the job keeps its own.
    new = _props("token-kept", create_token="c" * 32, metadata=[{"name": "k", "value": "v"}])
    news = provider.check(olds, new).inputs
    outs = provider.update("token-kept", olds, news).outs
    assert _marker(provider, new) == "b" * 32
    assert outs["create_id"] == "b" * 32
    refreshed = provider.read("token-kept", outs).outs
    assert refreshed["create_id"] == "b" * 32
