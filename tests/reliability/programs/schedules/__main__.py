"""N ``BatchJobSchedule``s ``<prefix>-<i>``, hourly, each job with a Job Manager, a
preparation and a release task. Config: ``count``, ``prefix``; the account:
``azure-batch-jobs:*``."""

from __future__ import annotations

from datetime import timedelta

import pulumi

from pulumi_azure_batch_jobs import (
    BatchJobSchedule,
    JobManagerTask,
    JobPreparationTask,
    JobReleaseTask,
    JobSpecification,
    PoolInformation,
    Schedule,
)

config = pulumi.Config()
count = config.require_int("count")
prefix = config.get("prefix") or "sched"

for i in range(count):
    BatchJobSchedule(
        f"schedule-{i}",
        schedule_id=f"{prefix}-{i}",
        schedule=Schedule(recurrence_interval=timedelta(hours=1)),
        job_specification=JobSpecification(
            pool_info=PoolInformation(pool_id="default"),
            job_manager_task=JobManagerTask(id="manager", command_line="/bin/true"),
            job_preparation_task=JobPreparationTask(command_line="/bin/true"),
            job_release_task=JobReleaseTask(
                command_line="/bin/true", max_wall_clock_time=timedelta(minutes=5)
            ),
        ),
    )
