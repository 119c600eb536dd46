import * as pulumi from "@pulumi/pulumi";
import * as batch from "azure-batch-jobs-pulumi";

const config = new pulumi.Config();
const job = new batch.BatchJob("audited", {
    jobId: "audited-typescript",
    endpoint: config.require("endpoint"),
    accountName: config.require("accountName"),
    accountKey: config.requireSecret("accountKey"),
    poolInfo: { poolId: "default" },
    jobPreparationTask: { commandLine: "/bin/true" },
    jobReleaseTask: { commandLine: "/bin/true" },
});

export const jobId = job.jobId;
export const echoedKey = job.accountKey;
