"""A job whose Job Release task runs in a container image, as an admin auto-user."""

from datetime import timedelta

import pulumi

from pulumi_azure_batch_jobs import (
    AutoUserSpecification,
    BatchJob,
    BatchTaskArgs,
    EnvironmentSetting,
    JobPreparationTask,
    JobReleaseTask,
    TaskContainerSettings,
    UserIdentity,
)

config = pulumi.Config()
image = config.get("image") or "mcr.microsoft.com/azurelinux/base/core:3.0"

job = BatchJob(
    "containerised-release",
    pool_id=config.get("poolId") or "default",
    job_preparation_task=JobPreparationTask(
        command_line="/bin/sh -c 'echo preparing $AZ_BATCH_NODE_ID'",
    ),
    job_release_task=JobReleaseTask(
        id="archive-logs",
        # Batch maps AZ_BATCH_NODE_ROOT_DIR into the container and passes the task's
        # environment; the command line runs inside the container.
        command_line=(
            "/bin/sh -c 'tar czf $AZ_BATCH_NODE_SHARED_DIR/$AZ_BATCH_JOB_ID-logs.tgz "
            "-C $AZ_BATCH_NODE_ROOT_DIR workitems || true'"
        ),
        container_settings=TaskContainerSettings(
            image_name=image,
            container_run_options="--rm",
            working_directory="taskWorkingDirectory",
        ),
        environment_settings=[EnvironmentSetting(name="ARCHIVE_FORMAT", value="tgz")],
        user_identity=UserIdentity(
            auto_user=AutoUserSpecification(scope="pool", elevation_level="admin")
        ),
        max_wall_clock_time=timedelta(minutes=10),
        retention_time=timedelta(days=1),
    ),
    tasks=[BatchTaskArgs(id="work", command_line="/bin/sh -c 'echo working'")],
)

pulumi.export("job_id", job.job_id)
