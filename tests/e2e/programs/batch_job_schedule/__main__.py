"""A stack with one ``BatchJobSchedule``; its specification is the JSON in config
``schedule`` (``BatchJobScheduleArgs`` keys), its resource settings the JSON in ``settings``;
the account comes from the ``azure-batch-jobs:*`` config the tests set."""

from __future__ import annotations

import json

import pulumi

from pulumi_azure_batch_jobs import BatchJobSchedule, BatchJobScheduleArgs

config = pulumi.Config()
spec = json.loads(config.require("schedule"))
settings = json.loads(config.get("settings") or "{}")
schedule = BatchJobSchedule("nightly", BatchJobScheduleArgs.from_dict(spec), **settings)

pulumi.export("schedule_id", schedule.schedule_id)
pulumi.export("state", schedule.state)
pulumi.export("next_run_time", schedule.next_run_time)
pulumi.export("recent_job_id", schedule.recent_job_id)
pulumi.export("recent_jobs", schedule.recent_jobs)
