"""``count`` jobs ``fleet-<i>``, each with a preparation task, a task and a Job Release task
that runs ``release_seconds``; ``on_delete=terminate`` keeps each job's record (and its
preparation/release status) after ``pulumi destroy``. The account: ``azure-batch-jobs:*``."""

from __future__ import annotations

import pulumi

from pulumi_azure_batch_jobs import BatchJob

config = pulumi.Config()
count = config.require_int("count")
release_seconds = config.require_float("release_seconds")

for i in range(count):
    BatchJob(
        f"fleet-{i}",
        job_id=f"fleet-{i}",
        pool_id="default",
        job_preparation_task={"command_line": "/bin/true"},
        job_release_task={"command_line": f"/bin/sleep {release_seconds:g}"},
        tasks=[{"id": "t0", "command_line": "/bin/true"}],
        on_delete="terminate",
    )
