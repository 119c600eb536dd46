"""N ``BatchJob``s, each with a preparation task, a release task and M initial tasks.

Config: ``count`` (N), ``tasks`` (M), ``release_seconds`` (how long each release task
sleeps), ``prefix`` (job ids are ``<prefix>-<i>``); the account comes from the
``azure-batch-jobs:*`` config the benchmark sets.
"""

from __future__ import annotations

import pulumi
from spec import job_spec

from pulumi_azure_batch_jobs import BatchJob, BatchJobArgs

config = pulumi.Config()
count = config.require_int("count")
tasks = config.get_int("tasks") or 0
release_seconds = config.get_float("release_seconds") or 0.0
prefix = config.get("prefix") or "bench"

for i in range(count):
    BatchJob(f"job-{i}", BatchJobArgs.from_dict(job_spec(f"{prefix}-{i}", tasks, release_seconds)))
