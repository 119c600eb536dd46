"""``BatchJob``: the component users declare in their stacks."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from ._job_args import BatchJobArgs, BatchJobArgsDict, PoolInformation
from .dynamic_provider import BatchJobProvider

COMPONENT_TYPE = "azure-batch-jobs:index:BatchJob"


class _BatchJobResource(Resource, module="azure-batch-jobs", name="BatchJob"):
    """The dynamic resource; its type token is part of every stack's state (frozen)."""

    job_id: pulumi.Output[str]
    url: pulumi.Output[str]
    etag: pulumi.Output[str]
    state: pulumi.Output[str]
    creation_time: pulumi.Output[str]
    preparation_and_release_status: pulumi.Output[list[dict[str, Any]]]

    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions) -> None:
        outputs = {
            k: None for k in ("job_id", "url", "etag", "state", "creation_time", "last_modified")
        }
        super().__init__(
            BatchJobProvider(),
            name,
            {**outputs, "preparation_and_release_status": None, **props},
            opts,
        )


class BatchJob(pulumi.ComponentResource):
    """An Azure Batch job, with its preparation, release and manager tasks and initial tasks.

    Job properties come from ``args`` (a :class:`BatchJobArgs` or its dict form) and/or
    keyword arguments of the same names, which override ``args``; ``job_id`` and
    ``pool_id`` are shorthands for ``id`` and ``pool_info.pool_id``. Resource settings:

    - ``endpoint``, ``account_name``, ``account_key``: the Batch account (default: stack
      config ``azure-batch-jobs:*``, then ``AZURE_BATCH_*`` environment variables; without
      a key, azure-identity's ``DefaultAzureCredential``). The key is kept secret.
    - ``delete_timeout_seconds``: how long delete waits for the Job Release tasks and the
      job to be gone (default 1800).
    - ``on_delete``: ``"delete"`` (default) or ``"terminate"`` (keep the job record).
    - ``adopt``: take over an existing job with this id whose specification matches.
    """

    job_id: pulumi.Output[str]
    url: pulumi.Output[str]
    etag: pulumi.Output[str]
    state: pulumi.Output[str]
    creation_time: pulumi.Output[str]
    preparation_and_release_status: pulumi.Output[list[dict[str, Any]]]

    def __init__(
        self,
        resource_name: str,
        args: BatchJobArgs | BatchJobArgsDict | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        job_id: pulumi.Input[str] | None = None,
        pool_id: pulumi.Input[str] | None = None,
        endpoint: pulumi.Input[str] | None = None,
        account_name: pulumi.Input[str] | None = None,
        account_key: pulumi.Input[str] | None = None,
        delete_timeout_seconds: pulumi.Input[float] | None = None,
        on_delete: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
        **job_properties: Any,
    ) -> None:
        super().__init__(COMPONENT_TYPE, resource_name, None, opts)
        job = _job_args(args, job_id=job_id, pool_id=pool_id, **job_properties)
        props = job.to_inputs()
        if "id" in props:
            props["job_id"] = props.pop("id")
        settings: dict[str, Any] = {
            "endpoint": endpoint,
            "account_name": account_name,
            "delete_timeout_seconds": delete_timeout_seconds,
            "on_delete": on_delete,
            "adopt": adopt,
            "auto_name_prefix": resource_name,
        }
        if account_key is not None:
            settings["account_key"] = pulumi.Output.secret(account_key)
        props.update({k: v for k, v in settings.items() if v is not None})
        # Stable across runs, unique per stack: marks the job as this resource's own.
        props["create_token"] = _create_token(resource_name)
        resource = _BatchJobResource(
            resource_name,
            props,
            pulumi.ResourceOptions(parent=self, additional_secret_outputs=["account_key"]),
        )
        self.job_id = resource.job_id
        self.url = resource.url
        self.etag = resource.etag
        self.state = resource.state
        self.creation_time = resource.creation_time
        self.preparation_and_release_status = resource.preparation_and_release_status
        self.register_outputs(
            {
                "job_id": self.job_id,
                "url": self.url,
                "state": self.state,
                "preparation_and_release_status": self.preparation_and_release_status,
            }
        )


def _create_token(resource_name: str) -> str:
    """A hash of project, stack and resource name: what makes the resource's URN unique."""
    identity = f"{pulumi.get_project()}\0{pulumi.get_stack()}\0{COMPONENT_TYPE}\0{resource_name}"
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def _job_args(
    args: BatchJobArgs | BatchJobArgsDict | Mapping[str, Any] | None,
    *,
    job_id: pulumi.Input[str] | None,
    pool_id: pulumi.Input[str] | None,
    **job_properties: Any,
) -> BatchJobArgs:
    """One ``BatchJobArgs`` from the args object and the keyword shorthands."""
    base: dict[str, Any] = {}
    if isinstance(args, BatchJobArgs):
        base = {f.attr: getattr(args, f.attr) for f in BatchJobArgs._fields}
    elif args is not None:
        base = dict(args)
    base.update({k: v for k, v in job_properties.items() if v is not None})
    if job_id is not None:
        base["id"] = job_id
    if pool_id is not None:
        # The shorthand overrides the pool of ``args``, but not an explicit pool_info.
        if job_properties.get("pool_info") is not None:
            raise TypeError("BatchJob: give either pool_id or pool_info, not both")
        base["pool_info"] = PoolInformation(pool_id=pool_id)
    if base.get("pool_info") is None:
        raise TypeError("BatchJob: pool_id (or pool_info) is required")
    known = {f.attr for f in BatchJobArgs._fields}
    unknown = sorted(set(base) - known)
    if unknown:
        raise TypeError(f"BatchJob: unknown job properties {', '.join(unknown)}")
    return BatchJobArgs(**{k: v for k, v in base.items() if v is not None})
