"""N ``BatchJobSchedule``s ``<prefix>-<i>``, hourly, each job with a Job Manager, a
preparation and a release task. Config: ``count``, ``prefix``; the account:
``azure-batch-jobs:*``."""

from __future__ import annotations

import pulumi

from pulumi_azure_batch_jobs import BatchJobSchedule

config = pulumi.Config()
count = config.require_int("count")
prefix = config.get("prefix") or "sched"

for i in range(count):
    BatchJobSchedule(
        f"schedule-{i}",
        schedule_id=f"{prefix}-{i}",
        schedule={"recurrence_interval": "PT1H"},
        job_specification={
            "pool_info": {"pool_id": "default"},
            "job_manager_task": {"id": "manager", "command_line": "/bin/true"},
            "job_preparation_task": {"command_line": "/bin/true"},
            "job_release_task": {"command_line": "/bin/true", "max_wall_clock_time": "PT5M"},
        },
    )
