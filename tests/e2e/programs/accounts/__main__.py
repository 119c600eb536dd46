"""One ``BatchJob`` per Batch account, each through an explicit ``Provider``.

Config ``accounts``: a JSON list of ``{"endpoint", "account"}``; secret config ``key-<i>``:
the shared key of account ``i``. Job ``i`` has id ``<job_id>`` in every account.
"""

from __future__ import annotations

import json

import pulumi

from pulumi_azure_batch_jobs import BatchJob, Provider

config = pulumi.Config()
accounts = json.loads(config.require("accounts"))
job_id = config.require("job_id")

for i, account in enumerate(accounts):
    provider = Provider(
        f"account-{i}",
        endpoint=account["endpoint"],
        account_name=account["account"],
        account_key=config.require_secret(f"key-{i}"),
    )
    job = BatchJob(
        f"job-{i}",
        job_id=job_id,
        pool_id="default",
        job_preparation_task={"command_line": "/bin/true"},
        job_release_task={"command_line": "/bin/true"},
        opts=pulumi.ResourceOptions(provider=provider),
    )
    pulumi.export(f"url-{i}", job.url)
