"""The demo stack: one Batch job with a Job Preparation task, a Job Release task and tasks.

``./run demo`` (``tools/demo.py``) starts the local emulator, serves the resource files
from a small HTTP server on 127.0.0.1 and sets this stack's config. The account comes
from ``azure-batch-jobs:*`` config or the ``AZURE_BATCH_*`` environment variables.

What the tasks do: the preparation task makes a scratch directory in the node's shared
directory, each task writes a file there, and the release task removes the scratch
directory and leaves a report (``<job id>-release.txt``) in the shared directory.

Config of this project:

- ``filesUrl`` (required): base URL serving ``greeting.txt`` and ``release.sh``;
- ``poolId`` (default ``default``, the emulator's pool), ``jobId`` (default
  ``release-demo``), ``taskCount`` (default 4).
"""

from __future__ import annotations

from datetime import timedelta

import pulumi

from pulumi_azure_batch_jobs import (
    BatchJob,
    BatchTaskArgs,
    EnvironmentSetting,
    JobPreparationTask,
    JobReleaseTask,
    ResourceFile,
)

config = pulumi.Config()
files_url = config.require("filesUrl").rstrip("/")
task_count = config.get_int("taskCount") or 4
# The job's scratch directory on each node (Batch sets these variables for every task).
SCRATCH = '"$AZ_BATCH_NODE_SHARED_DIR/$AZ_BATCH_JOB_ID-scratch"'


def sh(script: str) -> str:
    """A command line running ``script`` in /bin/sh: Batch starts command lines without a shell."""
    return f"/bin/sh -c '{script}'"


job = BatchJob(
    "demo",
    job_id=config.get("jobId") or "release-demo",
    pool_id=config.get("poolId") or "default",
    display_name="Job Release Task demo",
    # Runs once on each node before the first task of the job there.
    job_preparation_task=JobPreparationTask(
        command_line=sh(
            f'mkdir -p {SCRATCH} && cat greeting.txt && echo "prepared node $AZ_BATCH_NODE_ID"'
        ),
        resource_files=[
            ResourceFile(http_url=f"{files_url}/greeting.txt", file_path="greeting.txt")
        ],
        wait_for_success=True,
    ),
    # Runs once on each node where the preparation task ran, when the job ends
    # (here: when `pulumi destroy` deletes it).
    job_release_task=JobReleaseTask(
        id="cleanup",
        command_line="/bin/sh release.sh",
        resource_files=[
            ResourceFile(
                http_url=f"{files_url}/release.sh", file_path="release.sh", file_mode="0755"
            )
        ],
        environment_settings=[
            EnvironmentSetting(name="DEMO_MESSAGE", value="scratch space released"),
        ],
        max_wall_clock_time=timedelta(minutes=2),
        retention_time=timedelta(hours=1),
    ),
    tasks=[
        BatchTaskArgs(
            id=f"task-{i}",
            command_line=sh(
                f'echo "task {i} ran on $AZ_BATCH_NODE_ID" | tee {SCRATCH}/task-{i}.txt; sleep 2'
            ),
        )
        for i in range(1, task_count + 1)
    ],
    delete_timeout_seconds=300,
)

pulumi.export("job_id", job.job_id)
pulumi.export("url", job.url)
pulumi.export("state", job.state)
