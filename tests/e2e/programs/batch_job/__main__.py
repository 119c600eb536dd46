"""A stack with one ``BatchJob``; the job specification is the JSON in config ``job``.

Config ``settings`` (JSON) holds resource settings such as ``delete_timeout_seconds``;
the account comes from the ``azure-batch-jobs:*`` config the tests set. Config ``keywords``
(JSON) declares one more job through ``BatchJob``'s keyword arguments, as a program writes them.
"""

from __future__ import annotations

import json

import pulumi

from pulumi_azure_batch_jobs import BatchJob, BatchJobArgs, EnvironmentSetting, JobReleaseTask

config = pulumi.Config()
spec = json.loads(config.require("job"))
settings = json.loads(config.get("settings") or "{}")
args = BatchJobArgs.from_dict(spec)
secret = config.get_secret("release_secret")
if secret is not None and isinstance(args.job_release_task, JobReleaseTask):
    # A secret environment value: must reach Batch but never state, outputs or logs.
    current = args.job_release_task.environment_settings  # a list, as from_dict made it
    settings_list = list(current) if isinstance(current, list) else []
    settings_list.append(EnvironmentSetting(name="RELEASE_TOKEN", value=secret))
    args.job_release_task.environment_settings = settings_list
job = BatchJob("job", args, **settings)

if config.get("keywords"):
    BatchJob("keywords", **json.loads(config.require("keywords")), **settings)

pulumi.export("job_id", job.job_id)
pulumi.export("url", job.url)
pulumi.export("state", job.state)
pulumi.export("task_counts", job.task_counts)

if config.get_bool("display_name_from_unknown"):
    # A value unknown at preview (the output of a resource not yet created).
    from pulumi.dynamic import CreateResult, Resource, ResourceProvider

    class _EchoProvider(ResourceProvider):
        def create(self, props: dict[str, object]) -> CreateResult:
            return CreateResult(id_="echo", outs={"value": str(props["seed"]) * 2000})

    class _Echo(Resource):
        value: pulumi.Output[str]

        def __init__(self, name: str, seed: str) -> None:
            super().__init__(_EchoProvider(), name, {"seed": seed, "value": None})

    echo = _Echo("echo", "x")
    BatchJob(
        "late",
        BatchJobArgs.from_dict({**spec, "id": f"{spec['id']}-late"}),
        display_name=echo.value,
        **settings,
    )
