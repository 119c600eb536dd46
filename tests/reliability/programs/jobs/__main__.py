"""N ``BatchJob``s ``<prefix>-<i>``, each with a preparation task, a release task and two
tasks. Config: ``count``, ``prefix``, ``priority``; the account: ``azure-batch-jobs:*``."""

from __future__ import annotations

import pulumi

from pulumi_azure_batch_jobs import BatchJob, BatchJobArgs

config = pulumi.Config()
count = config.require_int("count")
prefix = config.get("prefix") or "rel"
priority = config.get_int("priority") or 1

for i in range(count):
    spec = {
        "id": f"{prefix}-{i}",
        "pool_info": {"pool_id": "default"},
        "priority": priority,
        "job_preparation_task": {"command_line": "/bin/true"},
        "job_release_task": {"command_line": "/bin/true", "max_wall_clock_time": "PT5M"},
        "tasks": [{"id": f"t{k}", "command_line": "/bin/true"} for k in range(2)],
    }
    BatchJob(f"job-{i}", BatchJobArgs.from_dict(spec))
