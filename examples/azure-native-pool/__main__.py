"""A Batch account and pool declared with ``pulumi-azure-native``, and a job on that pool.

The pool's name feeds the job's ``pool_id``, the account's endpoint and primary key feed
the job's account settings, so Pulumi creates the pool before the job and deletes the
job (running its release tasks) before the pool.

Config: ``batchAccountName`` (required, globally unique: 3-24 lowercase letters and
digits) and ``location`` (default ``westeurope``). With ``poolId`` set instead, the job
goes to that existing pool in the account from ``azure-batch-jobs:*`` config or the
``AZURE_BATCH_*`` variables, and ``pulumi-azure-native`` is not used at all.
"""

from datetime import timedelta

import pulumi

from pulumi_azure_batch_jobs import BatchJob, BatchTaskArgs, JobPreparationTask, JobReleaseTask

config = pulumi.Config()


def declare_job(
    pool_id: pulumi.Input[str],
    *,
    endpoint: pulumi.Input[str] | None = None,
    account_name: pulumi.Input[str] | None = None,
    account_key: pulumi.Input[str] | None = None,
) -> BatchJob:
    """The job, on the given pool and account (None: from config or environment)."""
    return BatchJob(
        "on-native-pool",
        pool_id=pool_id,
        endpoint=endpoint,
        account_name=account_name,
        account_key=account_key,
        job_preparation_task=JobPreparationTask(command_line="/bin/sh -c 'echo preparing'"),
        job_release_task=JobReleaseTask(
            command_line="/bin/sh -c 'echo releasing'",
            max_wall_clock_time=timedelta(minutes=5),
        ),
        tasks=[
            BatchTaskArgs(id=f"part-{i}", command_line=f"/bin/sh -c 'echo {i}'") for i in range(4)
        ],
    )


def declare_pool_and_job() -> BatchJob:
    """A resource group, a Batch account and a two-node Ubuntu pool, then the job."""
    import pulumi_azure_native as azure_native

    group = azure_native.resources.ResourceGroup(
        "batch", location=config.get("location") or "westeurope"
    )
    account = azure_native.batch.BatchAccount(
        "account",
        account_name=config.require("batchAccountName"),
        resource_group_name=group.name,
        location=group.location,
    )
    pool = azure_native.batch.Pool(
        "pool",
        pool_name="jobs",
        account_name=account.name,
        resource_group_name=group.name,
        vm_size="STANDARD_D2S_V3",
        deployment_configuration=azure_native.batch.DeploymentConfigurationArgs(
            virtual_machine_configuration=azure_native.batch.VirtualMachineConfigurationArgs(
                image_reference=azure_native.batch.ImageReferenceArgs(
                    publisher="canonical",
                    offer="ubuntu-24_04-lts",
                    sku="server",
                    version="latest",
                ),
                node_agent_sku_id="batch.node.ubuntu 24.04",
            )
        ),
        scale_settings=azure_native.batch.ScaleSettingsArgs(
            fixed_scale=azure_native.batch.FixedScaleSettingsArgs(target_dedicated_nodes=2)
        ),
    )
    keys = azure_native.batch.list_batch_account_keys_output(
        account_name=account.name, resource_group_name=group.name
    )
    return declare_job(
        pool.name,
        endpoint=account.account_endpoint.apply(lambda host: f"https://{host}"),
        account_name=account.name,
        account_key=pulumi.Output.secret(keys.primary),
    )


existing_pool = config.get("poolId")
job = declare_job(existing_pool) if existing_pool else declare_pool_and_job()

pulumi.export("job_id", job.job_id)
