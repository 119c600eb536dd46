"""A stack with one ``BatchJob``; the job specification is the JSON in config ``job``.

Config ``settings`` (JSON) holds resource settings such as ``delete_timeout_seconds``;
the account comes from the ``azure-batch-jobs:*`` config the tests set.
"""

from __future__ import annotations

import json

import pulumi

from pulumi_azure_batch_jobs import BatchJob, BatchJobArgs

config = pulumi.Config()
spec = json.loads(config.require("job"))
settings = json.loads(config.get("settings") or "{}")
job = BatchJob("job", BatchJobArgs.from_dict(spec), **settings)

pulumi.export("job_id", job.job_id)
pulumi.export("url", job.url)
pulumi.export("state", job.state)
