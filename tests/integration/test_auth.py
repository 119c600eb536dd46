"""Authentication: shared key (azure-batch 15 and the Azure CLI's azure-batch 14 signing),
Entra ID bearer tokens over HTTPS from the emulator's authority, and every rejection."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
import requests
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.credentials import AccessToken, AzureNamedKeyCredential
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
from azure.identity import ClientSecretCredential

from batch_emulator.testing import EmulatorHandle, SharedKey

NewId = Callable[[str], str]
V = {"api-version": "2024-02-01.19.0"}
BATCH_SCOPE = "https://batch.core.windows.net//.default"


def _code(response: requests.Response | Any) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def _cli(emulator: EmulatorHandle, key: str | None = None, account: str | None = None) -> Any:
    session = requests.Session()
    # SharedKey is a requests auth callable, but its request protocol types ``url`` as
    # ``str | None`` where requests' PreparedRequest has ``str | bytes | None``.
    session.auth = SharedKey(account or emulator.account, key or emulator.key)  # type: ignore[assignment]

    return session


def test_cli_signature_verifies(emulator: EmulatorHandle, new_id: NewId) -> None:
    session = _cli(emulator)
    job_id = new_id("cli-job")
    created = session.post(
        f"{emulator.endpoint}/jobs",
        params=V,
        json={"id": job_id, "poolInfo": {"poolId": "default"}},
        headers={"Content-Type": "application/json; odata=minimalmetadata; charset=utf-8"},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    listed = session.get(
        f"{emulator.endpoint}/jobs",
        params={**V, "$filter": f"id eq '{job_id}'", "maxresults": "10"},
        timeout=10,
    )
    assert [j["id"] for j in listed.json()["value"]] == [job_id]
    assert session.post(f"{emulator.endpoint}/jobs/{job_id}/terminate", params=V, timeout=10).ok
    assert session.delete(f"{emulator.endpoint}/jobs/{job_id}", params=V, timeout=10).ok


def test_wrong_key_and_wrong_account(emulator: EmulatorHandle) -> None:
    wrong_key = base64.b64encode(b"k" * 64).decode()
    response = _cli(emulator, key=wrong_key).get(f"{emulator.endpoint}/jobs", params=V, timeout=10)
    assert _code(response) == (403, "AuthenticationFailed")
    assert wrong_key not in response.text
    response = _cli(emulator, account="other").get(
        f"{emulator.endpoint}/jobs", params=V, timeout=10
    )
    assert _code(response) == (403, "AuthenticationFailed")
    sdk = BatchClient(emulator.endpoint, AzureNamedKeyCredential(emulator.account, wrong_key))
    with pytest.raises(HttpResponseError) as exc:
        sdk.get_job("anything")
    assert exc.value.status_code == 403


@pytest.mark.parametrize("part", ["query", "path", "date"])
def test_tampered_request(emulator: EmulatorHandle, part: str) -> None:
    session = _cli(emulator)
    request = requests.Request("GET", f"{emulator.endpoint}/jobs", params=V)
    prepared = session.prepare_request(request)
    if part == "query":
        prepared.url = str(prepared.url) + "&maxresults=1"
    elif part == "path":
        prepared.url = str(prepared.url).replace("/jobs", "/pools")
    else:
        prepared.headers["ocp-date"] = "Mon, 01 Jan 2024 00:00:00 GMT"
    response = session.send(prepared, timeout=10)
    assert _code(response) == (403, "AuthenticationFailed")


def test_missing_headers(emulator: EmulatorHandle) -> None:
    response = requests.get(f"{emulator.endpoint}/jobs", params=V, timeout=10)
    assert _code(response) == (401, "AuthenticationFailed")
    session = _cli(emulator)
    prepared = session.prepare_request(
        requests.Request("GET", f"{emulator.endpoint}/jobs", params=V)
    )
    del prepared.headers["ocp-date"]
    assert _code(session.send(prepared, timeout=10)) == (403, "AuthenticationFailed")
    garbled = requests.get(
        f"{emulator.endpoint}/jobs",
        params=V,
        headers={"Authorization": "SharedKey nonsense"},
        timeout=10,
    )
    assert _code(garbled) == (403, "AuthenticationFailed")
    other = requests.get(
        f"{emulator.endpoint}/jobs", params=V, headers={"Authorization": "Basic abc"}, timeout=10
    )
    assert _code(other) == (401, "AuthenticationFailed")


def _credential(emulator: EmulatorHandle, secret: str | None = None) -> ClientSecretCredential:
    assert emulator.tenant_id and emulator.client_id and emulator.client_secret
    return ClientSecretCredential(
        emulator.tenant_id,
        emulator.client_id,
        secret or emulator.client_secret,
        authority=emulator.authority,
        disable_instance_discovery=True,
        connection_verify=emulator.ca_cert,
    )


def test_bearer_token_over_https(tls_emulator: EmulatorHandle, new_id: NewId) -> None:
    credential = _credential(tls_emulator)
    assert tls_emulator.https_endpoint is not None
    client = BatchClient(
        tls_emulator.https_endpoint, credential, connection_verify=tls_emulator.ca_cert
    )
    job_id = new_id("aad-job")
    client.create_job(
        m.BatchJobCreateOptions(id=job_id, pool_info=m.BatchPoolInfo(pool_id="default"))
    )
    job = client.get_job(job_id)
    assert job.url == f"{tls_emulator.https_endpoint}/jobs/{job_id}"
    shared = BatchClient(
        tls_emulator.https_endpoint,
        AzureNamedKeyCredential(tls_emulator.account, tls_emulator.key),
        connection_verify=tls_emulator.ca_cert,
    )
    assert shared.get_job(job_id).id == job_id


def test_bearer_rejections(tls_emulator: EmulatorHandle) -> None:
    with pytest.raises(ClientAuthenticationError):
        _credential(tls_emulator, secret="wrong-secret").get_token(BATCH_SCOPE)
    token = _credential(tls_emulator).get_token(BATCH_SCOPE).token
    assert tls_emulator.https_endpoint is not None
    over_http = requests.get(
        f"{tls_emulator.endpoint}/jobs",
        params=V,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert _code(over_http) == (401, "AuthenticationFailed")
    header, claims, signature = token.split(".")
    forged = f"{header}.{claims}.{signature[::-1]}"

    class Forged:
        def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
            return AccessToken(forged, 2**31)

    client = BatchClient(
        tls_emulator.https_endpoint,
        Forged(),
        connection_verify=tls_emulator.ca_cert,
    )
    with pytest.raises(ClientAuthenticationError) as exc:
        client.get_job("anything")
    assert exc.value.status_code == 401


def test_secrets_are_not_logged(tls_emulator: EmulatorHandle, emulator: EmulatorHandle) -> None:
    for handle in (tls_emulator, emulator):
        announce = [line for line in handle.output if handle.key in line]
        assert all(
            line.startswith(("#   key:", "export AZURE_BATCH_ACCESS_KEY=", "BATCH_EMULATOR_READY "))
            for line in announce
        )
        assert not any("SharedKey" in line or "Bearer" in line for line in handle.output)


def test_environment_credential_offline(
    tls_emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch, new_id: NewId
) -> None:
    """DefaultAzureCredential from the variables the CLI prints, with no network beyond
    loopback: the default tenant ("adfs") spares MSAL its instance discovery."""
    from azure.identity import DefaultAzureCredential

    assert tls_emulator.authority and tls_emulator.ca_cert and tls_emulator.https_endpoint
    monkeypatch.setenv("AZURE_AUTHORITY_HOST", tls_emulator.authority)
    monkeypatch.setenv("AZURE_TENANT_ID", str(tls_emulator.tenant_id))
    monkeypatch.setenv("AZURE_CLIENT_ID", str(tls_emulator.client_id))
    monkeypatch.setenv("AZURE_CLIENT_SECRET", str(tls_emulator.client_secret))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_emulator.ca_cert)
    credential = DefaultAzureCredential(exclude_managed_identity_credential=True)
    client = BatchClient(tls_emulator.https_endpoint, credential)
    job_id = new_id("env-job")
    client.create_job(
        m.BatchJobCreateOptions(id=job_id, pool_info=m.BatchPoolInfo(pool_id="default"))
    )
    assert client.get_job(job_id).id == job_id
