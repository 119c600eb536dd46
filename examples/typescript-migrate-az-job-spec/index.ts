// An existing `az batch job create --json-file job.json` spec, deployed by Pulumi.
//
// The schema's properties are the Batch REST API's names, so the REST JSON is the
// resource's arguments as it is: only `id` is `jobId` (Pulumi reserves `id`). The plugin
// validates it at preview like any other declaration.
import * as fs from "fs";
import * as path from "path";

import * as pulumi from "@pulumi/pulumi";
import * as batch from "azure-batch-jobs-pulumi";

type JobSpec = batch.BatchJobArgs & { id: string };

const config = new pulumi.Config();
const { id, ...spec }: JobSpec = JSON.parse(
    fs.readFileSync(path.join(__dirname, "job.json"), "utf8"),
);
const poolId = config.get("poolId");

const job = new batch.BatchJob("nightly-render", {
    ...spec,
    jobId: id,
    poolInfo: poolId ? { poolId } : spec.poolInfo,
});

export const jobId = job.jobId;
