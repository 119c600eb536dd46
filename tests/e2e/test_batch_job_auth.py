"""Auth and secrets with the real CLI: Entra ID bearer tokens over HTTPS through
azure-identity, and no key or secret value in state, outputs or CLI output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.batch import BatchClient
from azure.core.credentials import AzureNamedKeyCredential

from batch_emulator.testing import EmulatorHandle, start_emulator
from tests.support.job_stacks import StackFactory, spec
from tests.support.pulumi_stack import state_texts


@pytest.fixture(scope="module")
def tls_emulator() -> Iterator[EmulatorHandle]:
    with start_emulator(tls=True) as handle:
        yield handle


def test_bearer_token_from_default_azure_credential_over_https(
    job_stack: StackFactory, tls_emulator: EmulatorHandle
) -> None:
    assert tls_emulator.https_endpoint and tls_emulator.ca_cert and tls_emulator.authority
    identity_env = {
        "AZURE_TENANT_ID": str(tls_emulator.tenant_id),
        "AZURE_CLIENT_ID": str(tls_emulator.client_id),
        "AZURE_CLIENT_SECRET": str(tls_emulator.client_secret),
        "AZURE_AUTHORITY_HOST": tls_emulator.authority,
        "REQUESTS_CA_BUNDLE": tls_emulator.ca_cert,
        # No key anywhere: the component must fall back to azure-identity.
        "AZURE_BATCH_ACCESS_KEY": "",
        "AZURE_BATCH_ACCOUNT": "",
    }
    stack = job_stack(
        spec("bearer"),
        account={"azure-batch-jobs:endpoint": tls_emulator.https_endpoint},
        extra_env=identity_env,
    )
    tls_emulator.reset_stats()
    up = stack.up()
    assert up.outputs["job_id"].value == "bearer"
    batch = BatchClient(
        tls_emulator.endpoint, AzureNamedKeyCredential(tls_emulator.account, tls_emulator.key)
    )
    assert batch.get_job("bearer").priority == 10
    stack.destroy()


def test_no_key_or_secret_value_in_state_outputs_or_cli_output(
    job_stack: StackFactory, emulator: EmulatorHandle, batch: BatchClient, tmp_path: Path
) -> None:
    secret_value = "s3cr3t-release-token-7f2b"
    stack = job_stack(spec("secrets"), secrets={"release_secret": secret_value})
    texts = [stack.preview().stdout]
    up = stack.up()
    texts += [up.stdout, up.stderr, json.dumps({k: v.value for k, v in up.outputs.items()})]
    refresh = stack.refresh()
    texts += [refresh.stdout, refresh.stderr]
    # (``stack.export_stack()`` and ``stack.outputs()`` decrypt on purpose: not scanned.)

    # The secret really reached Batch...
    release = batch.get_job("secrets").job_release_task
    assert release is not None
    env = {e.name: e.value for e in release.environment_settings or []}
    assert env["RELEASE_TOKEN"] == secret_value
    destroy = stack.destroy()
    texts += [destroy.stdout, destroy.stderr]
    stored = state_texts(tmp_path / "pulumi")
    assert sum("azure-batch-jobs:index:BatchJob" in t for t in stored) > 0, (
        "the checkpoint files were scanned"
    )
    texts += stored

    # ...and appears nowhere else, nor does the account key.
    leaks = [
        (i, needle)
        for i, text in enumerate(texts)
        for needle in (secret_value, emulator.key)
        if needle in text
    ]
    assert leaks == []
