"""Persistence: what a response confirmed survives a clean stop and a kill."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.credentials import AccessToken, AzureNamedKeyCredential

from batch_emulator.testing import EmulatorHandle, start_emulator
from tests.support.sdk_fields import prep_info, present

# Persistence is about what responses confirmed; tasks complete at once (the instant
# engine), so the state compared across restarts is final.


def _client(handle: EmulatorHandle) -> BatchClient:
    return BatchClient(handle.endpoint, AzureNamedKeyCredential(handle.account, handle.key))


def test_restart_keeps_everything(tmp_path: Path) -> None:
    with start_emulator(data_dir=tmp_path, nodes=1, engine="instant") as first:
        client = _client(first)
        client.create_job(
            m.BatchJobCreateOptions(
                id="kept",
                pool_info=m.BatchPoolInfo(pool_id="default"),
                job_preparation_task=m.BatchJobPreparationTask(command_line="echo p"),
                job_release_task=m.BatchJobReleaseTask(command_line="echo r"),
            )
        )
        client.create_tasks(
            "kept", [m.BatchTaskCreateOptions(id=f"t{i}", command_line="echo") for i in range(150)]
        )
        before = client.get_job("kept")
        key = first.key
    assert first.process.returncode == 0
    assert (tmp_path / "batch.db").exists()

    with start_emulator(data_dir=tmp_path, nodes=1, engine="instant") as second:
        assert second.key == key  # the generated key is kept with the data
        client = _client(second)
        after = client.get_job("kept")
        assert after.etag == before.etag
        assert present(after.job_release_task).command_line == "echo r"
        assert len(list(client.list_tasks("kept"))) == 150
        assert len(list(client.list_nodes("default"))) == 1
        status = list(client.list_job_preparation_and_release_task_status("kept"))
        assert prep_info(status[0]).state == "completed"
        client.create_job(
            m.BatchJobCreateOptions(id="after-kill", pool_info=m.BatchPoolInfo(pool_id="default"))
        )
        second.process.send_signal(signal.SIGKILL)
        second.process.wait(10)

    with start_emulator(data_dir=tmp_path, nodes=1, engine="instant") as third:
        assert _client(third).get_job("after-kill").state == m.BatchJobState.ACTIVE


def test_restart_keeps_ca_and_token_signing_key(tmp_path: Path) -> None:
    """A client that trusts the CA and cached a token keeps working across a restart."""
    from azure.identity import ClientSecretCredential

    with start_emulator(data_dir=tmp_path, tls=True, nodes=1, engine="instant") as first:
        assert first.ca_cert and first.https_endpoint and first.client_id and first.client_secret
        ca_before = Path(first.ca_cert).read_bytes()
        credential = ClientSecretCredential(
            str(first.tenant_id),
            first.client_id,
            first.client_secret,
            authority=first.authority,
            disable_instance_discovery=True,
            connection_verify=first.ca_cert,
        )
        token = credential.get_token("https://batch.core.windows.net//.default").token
    with start_emulator(data_dir=tmp_path, tls=True, nodes=1, engine="instant") as second:
        assert second.ca_cert and second.https_endpoint
        assert Path(second.ca_cert).read_bytes() == ca_before
        assert second.client_secret == first.client_secret

        class Cached:
            def get_token(self, *scopes: str, **kwargs: object) -> AccessToken:
                return AccessToken(token, int(time.time()) + 600)

        client = BatchClient(second.https_endpoint, Cached(), connection_verify=first.ca_cert)
        assert [p.id for p in client.list_pools()] == ["default"]
