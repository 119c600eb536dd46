"""A stack with one ``BatchJob`` per entry of config ``jobs`` (JSON: resource name -> job spec).

Written against the API both the dynamic-provider releases (0.1) and the native provider
(0.2) offer, so one stack can be deployed by the old code and upgraded by the new. The
account comes from the ``azure-batch-jobs:*`` config the tests set.
"""

from __future__ import annotations

import json

import pulumi

from pulumi_azure_batch_jobs import BatchJob, BatchJobArgs

config = pulumi.Config()
jobs = json.loads(config.require("jobs"))
for name, spec in sorted(jobs.items()):
    job = BatchJob(name, BatchJobArgs.from_dict(spec))
    pulumi.export(f"{name}_job_id", job.job_id)
