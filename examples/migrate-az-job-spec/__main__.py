"""An existing ``az batch job create --json-file job.json`` spec, deployed by Pulumi.

``load_job_spec`` turns the REST JSON into typed arguments (validated at preview, like
any other), which can then be changed in code before they are declared.
"""

from pathlib import Path

import pulumi

from pulumi_azure_batch_jobs import BatchJob, PoolInformation, load_job_spec

config = pulumi.Config()
args = load_job_spec(Path(__file__).with_name("job.json"))
if config.get("poolId"):
    args.pool_info = PoolInformation(pool_id=config.require("poolId"))

job = BatchJob("nightly-render", args)

pulumi.export("job_id", job.job_id)
