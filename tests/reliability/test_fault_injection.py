"""The emulator's fault injection: each kind does what it says, only where asked, counted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from azure.batch import BatchClient
from azure.batch.models import BatchJobCreateOptions
from azure.core.credentials import AzureNamedKeyCredential
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError, ServiceResponseError
from azure.core.rest import HttpResponse

from batch_emulator.testing import EmulatorHandle, start_emulator
from tests.support.reliability import faults_snapshot


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorHandle]:
    with start_emulator(engine="instant") as handle:
        yield handle


def _client(emulator: EmulatorHandle, **kwargs: object) -> BatchClient:
    credential = AzureNamedKeyCredential(emulator.account, emulator.key)
    return BatchClient(emulator.endpoint, credential, **kwargs)


def _exists(client: BatchClient, job_id: str) -> bool:
    try:
        client.get_job(job_id)
    except ResourceNotFoundError:
        return False
    return True


@pytest.mark.parametrize(
    ("kind", "error", "applied"),
    [
        ("500", HttpResponseError, False),
        ("503", HttpResponseError, False),
        ("429", HttpResponseError, False),
        ("reset-before", ServiceResponseError, False),
        ("reset-after", ServiceResponseError, True),
    ],
)
def test_each_fault_kind(
    emulator: EmulatorHandle, kind: str, error: type[Exception], applied: bool
) -> None:
    client = _client(emulator, retry_total=0)
    job_id = f"fault-{kind}"
    emulator.set_faults(rate=1.0, kinds=[kind], ops=["Jobs_CreateJob"])
    with pytest.raises(error) as raised:
        client.create_job(BatchJobCreateOptions({"id": job_id, "poolInfo": {"poolId": "default"}}))
    if kind == "429":
        assert isinstance(raised.value, HttpResponseError)
        response = raised.value.response
        assert isinstance(response, HttpResponse)
        assert response.headers["Retry-After"] == "1"
    # Other operations are not faulted, nor are the admin endpoints.
    assert _exists(client, job_id) is applied
    snapshot = faults_snapshot(emulator)
    assert snapshot["by_kind"] == {kind: 1}
    assert snapshot["by_operation"] == [{"kind": kind, "operation": "Jobs_CreateJob", "count": 1}]
    emulator.set_faults(rate=0)


def test_off_by_default_and_switchable(emulator: EmulatorHandle) -> None:
    client = _client(emulator, retry_total=0)
    assert faults_snapshot(emulator)["config"]["rate"] == 0
    for i in range(20):
        assert not _exists(client, f"none-{i}")
    assert faults_snapshot(emulator)["injected"] == 0
    emulator.set_faults(rate=1.0, kinds=["slow"], slow_seconds=0.05, seed=1)
    assert not _exists(client, "slow")
    assert faults_snapshot(emulator)["by_kind"] == {"slow": 1}
    emulator.set_faults(rate=0)


def test_rate_is_honoured_and_retries_absorb_faults(emulator: EmulatorHandle) -> None:
    emulator.set_faults(rate=0.2, kinds=["500", "503", "reset-before"], seed=7)
    client = _client(
        emulator, retry_backoff_factor=0.01, retry_total=8, retry_read=8, retry_status=8
    )
    for i in range(100):
        assert not _exists(client, f"absent-{i}")
    snapshot = faults_snapshot(emulator)
    assert snapshot["eligible_requests"] >= 100
    assert 0.1 <= snapshot["injected"] / snapshot["eligible_requests"] <= 0.3
    emulator.set_faults(rate=0)


def test_invalid_fault_flags_are_refused() -> None:
    args = ["--fault-rate", "0.2", "--fault-kinds", "explode"]
    with (
        pytest.raises(RuntimeError, match="fault kinds must be among"),
        start_emulator(extra_args=args),
    ):
        pass
