"""A job in a real Azure Batch account, authenticated with Microsoft Entra ID.

No key anywhere: with only the endpoint configured, the component authenticates with
azure-identity's ``DefaultAzureCredential`` (environment variables of a service
principal, workload identity, managed identity, ``az login``, ...)::

    pulumi config set azure-batch-jobs:endpoint https://<account>.<region>.batch.azure.com
    pulumi config set poolId <an existing pool>
"""

from datetime import timedelta

import pulumi

from pulumi_azure_batch_jobs import BatchJob, BatchTaskArgs, JobPreparationTask, JobReleaseTask

config = pulumi.Config()

job = BatchJob(
    "reports",
    pool_id=config.require("poolId"),
    job_preparation_task=JobPreparationTask(command_line="/bin/sh -c 'echo preparing'"),
    job_release_task=JobReleaseTask(
        command_line="/bin/sh -c 'echo releasing'",
        max_wall_clock_time=timedelta(minutes=5),
    ),
    tasks=[BatchTaskArgs(id="report", command_line="/bin/sh -c 'echo building the report'")],
)

pulumi.export("job_id", job.job_id)
pulumi.export("url", job.url)
