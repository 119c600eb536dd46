"""A nightly job schedule: each night's job prepares a scratch directory on each node, its
Job Manager does the night's work, and its Job Release task reports and cleans up."""

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
SCRATCH = "$AZ_BATCH_NODE_SHARED_DIR/nightly/$AZ_BATCH_JOB_ID"

nightly = BatchJobSchedule(
    "nightly",
    # A job every night, each to be started within an hour of its due time.
    schedule=Schedule(
        recurrence_interval=timedelta(days=1),
        start_window=timedelta(hours=1),
    ),
    job_specification=JobSpecification(
        pool_info=PoolInformation(pool_id=config.get("poolId") or "default"),
        # Once per node, before the night's job runs anything there.
        job_preparation_task=JobPreparationTask(command_line=f"/bin/sh -c 'mkdir -p {SCRATCH}'"),
        # The night's work. A Job Manager given `authentication_token_settings` would add
        # tasks through the Batch API with $AZ_BATCH_AUTHENTICATION_TOKEN; the emulator
        # hands out no such token, so this one does the work itself.
        job_manager_task=JobManagerTask(
            id="render",
            command_line=(
                f"/bin/sh -c 'for frame in 1 2 3; do echo frame $frame > {SCRATCH}/$frame.out; "
                "done'"
            ),
        ),
        # When the night's job ends (its Job Manager completed): once on each node where the
        # preparation ran, a report of what was made, then the scratch directory goes.
        job_release_task=JobReleaseTask(
            command_line=(
                f"/bin/sh -c 'ls {SCRATCH} > $AZ_BATCH_NODE_SHARED_DIR/nightly/"
                f"$AZ_BATCH_JOB_ID.report && rm -rf {SCRATCH}'"
            ),
            max_wall_clock_time=timedelta(minutes=5),
        ),
    ),
)

pulumi.export("schedule_id", nightly.schedule_id)
pulumi.export("state", nightly.state)
pulumi.export("next_run_time", nightly.next_run_time)
