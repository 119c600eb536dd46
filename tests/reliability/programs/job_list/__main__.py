"""One ``BatchJob`` ``job-<i>`` per job specification (attribute keys, ISO 8601
durations) in the JSON list of config ``jobs``; the account: ``azure-batch-jobs:*``."""

from __future__ import annotations

import json

import pulumi

from pulumi_azure_batch_jobs import BatchJob, BatchJobArgs

config = pulumi.Config()
for i, spec in enumerate(json.loads(config.require("jobs"))):
    BatchJob(f"job-{i}", BatchJobArgs.from_dict(spec))
