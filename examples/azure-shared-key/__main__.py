"""A job in a real Azure Batch account, authenticated with a shared key from stack config.

The account is configured once per stack (the key encrypted as a secret)::

    pulumi config set azure-batch-jobs:endpoint https://<account>.<region>.batch.azure.com
    pulumi config set azure-batch-jobs:accountName <account>
    pulumi config set --secret azure-batch-jobs:accountKey <key>
    pulumi config set poolId <an existing pool>
"""

from datetime import timedelta

import pulumi

from pulumi_azure_batch_jobs import (
    BatchJob,
    BatchTaskArgs,
    JobConstraints,
    JobPreparationTask,
    JobReleaseTask,
    MetadataItem,
)

config = pulumi.Config()

job = BatchJob(
    "ingest",
    pool_id=config.require("poolId"),
    priority=10,
    constraints=JobConstraints(max_wall_clock_time=timedelta(hours=2), max_task_retry_count=1),
    job_preparation_task=JobPreparationTask(
        command_line="/bin/sh -c 'mkdir -p $AZ_BATCH_NODE_SHARED_DIR/ingest'",
    ),
    job_release_task=JobReleaseTask(
        command_line="/bin/sh -c 'rm -rf $AZ_BATCH_NODE_SHARED_DIR/ingest'",
        max_wall_clock_time=timedelta(minutes=5),
    ),
    tasks=[
        BatchTaskArgs(id=f"ingest-{part}", command_line=f"/bin/sh -c 'echo ingest part {part}'")
        for part in range(3)
    ],
    metadata=[MetadataItem(name="owner", value="data-platform")],
)

pulumi.export("job_id", job.job_id)
pulumi.export("url", job.url)
