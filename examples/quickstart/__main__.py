"""Quickstart: a Batch job whose Job Release task cleans up what its preparation task made."""

from datetime import timedelta

import pulumi

from pulumi_azure_batch_jobs import BatchJob, BatchTaskArgs, JobPreparationTask, JobReleaseTask

config = pulumi.Config()

job = BatchJob(
    "quickstart",
    pool_id=config.get("poolId") or "default",
    # Once per node, before the job's first task there.
    job_preparation_task=JobPreparationTask(
        command_line="/bin/sh -c 'mkdir -p $AZ_BATCH_NODE_SHARED_DIR/quickstart'",
    ),
    # Once per node where the preparation task ran, when the job ends (e.g. `pulumi destroy`).
    job_release_task=JobReleaseTask(
        command_line="/bin/sh -c 'rm -rf $AZ_BATCH_NODE_SHARED_DIR/quickstart'",
        max_wall_clock_time=timedelta(minutes=5),
    ),
    tasks=[
        BatchTaskArgs(id=f"hello-{i}", command_line=f"/bin/sh -c 'echo hello {i}'")
        for i in range(2)
    ],
)

pulumi.export("job_id", job.job_id)
pulumi.export("state", job.state)
