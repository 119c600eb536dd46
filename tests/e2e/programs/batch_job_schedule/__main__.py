"""A stack with one ``BatchJobSchedule``; its specification is the JSON in config
``schedule`` (the dict form of ``BatchJobScheduleArgs``, checked as a program's dict is), its
resource settings the JSON in ``settings``; the account comes from the ``azure-batch-jobs:*``
config the tests set."""

from __future__ import annotations

import json

import pulumi

from pulumi_azure_batch_jobs import BatchJobSchedule

config = pulumi.Config()
spec = json.loads(config.require("schedule"))
settings = json.loads(config.get("settings") or "{}")
schedule = BatchJobSchedule("nightly", spec, **settings)

pulumi.export("schedule_id", schedule.schedule_id)
pulumi.export("state", schedule.state)
pulumi.export("next_run_time", schedule.next_run_time)
pulumi.export("recent_job_id", schedule.recent_job_id)
pulumi.export("recent_jobs", schedule.recent_jobs)
