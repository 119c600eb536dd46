"""``batch_emulator.testing``: the launcher, the resource-file server and the shared-key
signer that tests, benchmarks and the demo use."""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import requests
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.credentials import AzureNamedKeyCredential

from batch_emulator.auth import string_to_sign
from batch_emulator.testing import EmulatorStartError, SharedKey, serve_files, start_emulator

V = {"api-version": "2025-06-01"}


def _client(endpoint: str, account: str, key: str) -> BatchClient:
    return BatchClient(endpoint, AzureNamedKeyCredential(account, key))


def test_the_handle_says_how_to_reach_it_and_leaving_it_stops_the_emulator() -> None:
    with start_emulator(nodes=1, slots=3, engine="instant", account="acct") as emu:
        assert emu.endpoint.startswith("http://127.0.0.1:")
        assert (emu.account, emu.engine, emu.pool_id) == ("acct", "instant", "default")
        assert len(base64.b64decode(emu.key)) > 0
        assert emu.data_dir is None and emu.https_endpoint is None
        assert emu.env["AZURE_BATCH_ENDPOINT"] == emu.endpoint
        pool = _client(emu.endpoint, emu.account, emu.key).get_pool("default")
        assert (pool.target_dedicated_nodes, pool.task_slots_per_node) == (1, 3)
        assert any("listening on" in line for line in emu.output)
    assert emu.process.returncode == 0


def test_a_data_dir_keeps_the_key_and_the_jobs_across_a_restart(tmp_path: Path) -> None:
    with start_emulator(data_dir=tmp_path, engine="instant", nodes=1) as first:
        assert first.data_dir is not None and Path(first.data_dir) == tmp_path
        client = _client(first.endpoint, first.account, first.key)
        client.create_job(
            m.BatchJobCreateOptions(id="kept", pool_info=m.BatchPoolInfo(pool_id="default"))
        )
    with start_emulator(data_dir=tmp_path, engine="instant", nodes=1) as second:
        assert second.key == first.key
        client = _client(second.endpoint, second.account, second.key)
        assert client.get_job("kept").id == "kept"


def test_tls_adds_the_https_endpoint_and_the_token_authority() -> None:
    with start_emulator(tls=True, engine="instant", nodes=1) as emu:
        assert emu.https_endpoint is not None and emu.https_endpoint.startswith(
            "https://127.0.0.1:"
        )
        assert emu.ca_cert is not None and Path(emu.ca_cert).is_file()
        assert emu.authority and emu.tenant_id and emu.client_id and emu.client_secret


def test_a_start_that_fails_raises_with_the_emulator_output() -> None:
    with pytest.raises(EmulatorStartError, match="fault kinds must be among"):
        start_emulator(extra_args=["--fault-rate", "0.2", "--fault-kinds", "explode"])


def test_the_admin_calls_count_reset_and_inject_faults() -> None:
    with start_emulator(engine="instant", nodes=1) as emu:
        client = _client(emu.endpoint, emu.account, emu.key)
        client.create_job(
            m.BatchJobCreateOptions(id="j", pool_info=m.BatchPoolInfo(pool_id="default"))
        )
        assert emu.stats()["writes"] >= 1
        emu.reset_stats()
        assert emu.stats()["writes"] == 0
        assert emu.set_faults(rate=0.5, kinds=["500"])["config"]["rate"] == 0.5
        assert emu.set_faults(rate=0)["config"]["rate"] == 0
        emu.reset()
        assert [j.id for j in client.list_jobs()] == []


def test_its_own_session_is_reaped_on_stop() -> None:
    emu = start_emulator(engine="instant", nodes=1, own_session=True)
    try:
        assert os.getpgid(emu.process.pid) == emu.process.pid != os.getpgid(0)
    finally:
        assert emu.stop() == 0
    with pytest.raises(ProcessLookupError):
        os.killpg(emu.process.pid, 0)


def test_shared_key_signs_what_the_emulator_verifies() -> None:
    with start_emulator(engine="instant", nodes=1) as emu:
        session = requests.Session()
        # SharedKey is a requests auth callable, but its request protocol types ``url`` as
        # ``str | None`` where requests' PreparedRequest has ``str | bytes | None``.
        session.auth = SharedKey(emu.account, emu.key)  # type: ignore[assignment]
        created = session.post(
            f"{emu.endpoint}/jobs",
            params=V,
            json={"id": "signed", "poolInfo": {"poolId": "default"}},
            timeout=10,
        )
        assert created.status_code == 201, created.text
        session.auth = SharedKey(emu.account, base64.b64encode(b"k" * 64).decode())  # type: ignore[assignment]

        refused = session.get(f"{emu.endpoint}/jobs", params=V, timeout=10)
        assert refused.status_code == 403


def test_shared_key_string_to_sign_is_the_one_batch_defines() -> None:
    url = "http://127.0.0.1:1/jobs/j1/tasks?api-version=2025-06-01&maxresults=5"
    headers = {
        "ocp-date": "Thu, 03 Dec 2026 12:00:00 GMT",
        "Content-Type": "application/json",
        "Content-Length": "42",
        "client-request-id": "not-signed",
    }
    lower = {k.lower(): v for k, v in headers.items()}
    query = "api-version=2025-06-01&maxresults=5"
    expected = string_to_sign("POST", "/jobs/j1/tasks", query, lower, "acct")
    assert SharedKey("acct", "a2V5").string_to_sign("POST", url, headers) == expected


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), b""


def test_serve_files_serves_files_and_a_blob_container_on_loopback(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.txt").write_text("file a\n")
    (tmp_path / "container" / "data").mkdir(parents=True)
    (tmp_path / "container" / "data" / "b.txt").write_text("blob b\n")
    (tmp_path.parent / "outside.txt").write_text("secret\n")
    with serve_files(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        assert _get(f"{url}/files/a.txt") == (200, b"file a\n")
        status, listing = _get(f"{url}/container?restype=container&comp=list&prefix=data/")
        assert status == 200 and b"<Name>data/b.txt</Name>" in listing
        assert _get(f"{url}/container/data/b.txt") == (200, b"blob b\n")
        assert _get(f"{url}/files/missing.txt")[0] == 404
        assert _get(f"{url}/%2E%2E/outside.txt")[0] == 404
