// Quickstart: a Batch job whose Job Release task cleans up what its preparation task made.
import * as pulumi from "@pulumi/pulumi";
import * as batch from "azure-batch-jobs-pulumi";

const config = new pulumi.Config();
// Where `release.sh` (this folder's) is served from, e.g. a storage container's URL.
const scriptsUrl = config.require("scriptsUrl");

const job = new batch.BatchJob("quickstart", {
    poolInfo: { poolId: config.get("poolId") ?? "default" },
    priority: config.getNumber("priority") ?? 10,
    onDelete: config.get("onDelete") ?? "delete",
    // `pulumi up` returns once every task completed (and fails naming any that failed).
    waitForTasks: "completion",
    // Once per node, before the job's first task there.
    jobPreparationTask: {
        commandLine: `/bin/sh -c 'mkdir -p "$AZ_BATCH_NODE_SHARED_DIR/typescript-quickstart"'`,
    },
    // Once per node where the preparation task ran, when the job ends.
    jobReleaseTask: {
        commandLine: config.get("releaseCommand") ?? "/bin/sh release.sh",
        maxWallClockTime: config.get("releaseWallClock") ?? "PT5M",
        resourceFiles: [{ httpUrl: `${scriptsUrl}/release.sh`, filePath: "release.sh" }],
        environmentSettings: [{ name: "SCRATCH_NAME", value: "typescript-quickstart" }],
    },
    tasks: [0, 1].map((i) => ({ id: `hello-${i}`, commandLine: `/bin/sh -c 'echo hello ${i}'` })),
});

export const jobId = job.jobId;
export const state = job.state;
export const tasksSucceeded = job.taskCounts.apply((counts) => counts?.succeeded);
