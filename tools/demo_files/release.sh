#!/bin/sh
# The demo's Job Release task: runs once on each node where the job ran, when it ends.
scratch="$AZ_BATCH_NODE_SHARED_DIR/$AZ_BATCH_JOB_ID-scratch"
report="$AZ_BATCH_NODE_SHARED_DIR/$AZ_BATCH_JOB_ID-release.txt"
count=$(find "$scratch" -type f 2>/dev/null | wc -l | tr -d ' ')
rm -rf "$scratch"
{
  echo "node:    $AZ_BATCH_NODE_ID"
  echo "task:    $AZ_BATCH_TASK_ID of job $AZ_BATCH_JOB_ID"
  echo "removed: shared/$AZ_BATCH_JOB_ID-scratch ($count files)"
  echo "message: $DEMO_MESSAGE"
} > "$report"
echo "release report written to $report"
