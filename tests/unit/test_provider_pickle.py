"""The provider is pickled into state by reference, holding nothing."""

from __future__ import annotations

import base64

import dill
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_azure_batch_jobs.dynamic_provider import BatchJobProvider


def test_provider_pickles_by_reference_to_its_frozen_path() -> None:
    provider = BatchJobProvider()
    data = base64.b64decode(serialize_provider(provider))
    assert b"pulumi_azure_batch_jobs.dynamic_provider" in data
    assert b"BatchJobProvider" in data
    assert len(data) < 200, "no code, client or credential pickled by value"
    restored = dill.loads(data)  # noqa: S301 - our own bytes, just made
    assert type(restored) is BatchJobProvider
