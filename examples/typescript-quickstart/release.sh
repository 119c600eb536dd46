#!/bin/sh
# The Job Release task: runs once on each node where the job's preparation task ran, when
# the job ends (`pulumi destroy`). It removes the scratch directory the preparation made.
scratch="$AZ_BATCH_NODE_SHARED_DIR/$SCRATCH_NAME"
rm -rf "$scratch"
echo "released $AZ_BATCH_JOB_ID on $AZ_BATCH_NODE_ID: removed $scratch"
