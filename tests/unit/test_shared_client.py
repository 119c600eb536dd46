"""The provider host reuses one Batch client per connection instead of one per call."""

from __future__ import annotations

from pulumi_azure_batch_jobs.core._connection import BatchConnection, shared_client
from pulumi_azure_batch_jobs.provider._provider import BatchJobsProvider


def test_equal_connections_share_one_client_and_other_keys_do_not() -> None:
    first = BatchConnection("http://127.0.0.1:1", "acct", "a2V5LW9uZQ==")
    same = BatchConnection("http://127.0.0.1:1", "acct", "a2V5LW9uZQ==")
    other_key = BatchConnection("http://127.0.0.1:1", "acct", "a2V5LXR3bw==")
    assert shared_client(first) is shared_client(same)
    assert shared_client(first) is not shared_client(other_key)


def test_the_provider_serves_every_call_of_a_stack_from_one_client() -> None:
    provider = BatchJobsProvider()
    provider.configure(
        {"endpoint": "http://127.0.0.1:1", "accountName": "acct", "accountKey": "a2V5LXRocmVl"}
    )
    one = provider._service({}, print)._client
    two = provider._service({}, print)._client
    assert one is two
