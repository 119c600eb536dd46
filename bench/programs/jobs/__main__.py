"""N ``BatchJob``s, each with a preparation task, a release task and M initial tasks.

Config: see ``spec.configured_specs``; the account comes from the
``azure-batch-jobs:*`` config the benchmark sets.
"""

from __future__ import annotations

from spec import configured_specs

from pulumi_azure_batch_jobs import BatchJob, BatchJobArgs

for i, spec in enumerate(configured_specs()):
    BatchJob(f"job-{i}", BatchJobArgs.from_dict(spec))
