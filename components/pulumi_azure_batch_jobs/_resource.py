"""``BatchJob``, ``BatchJobSchedule`` and ``Provider``: the ``azure-batch-jobs`` plugin's
resources in Python."""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

import pulumi

from .args._dicts import (
    BatchJobArgsDict,
    BatchJobKeywords,
    BatchJobScheduleArgsDict,
    BatchJobScheduleKeywords,
)
from .args._errors import UnknownArgumentError
from .args._job import BatchJobArgs, JobSpecification, PoolInformation
from .args._model import BatchModel
from .args._schedule import BatchJobScheduleArgs
from .provider._tokens import PACKAGE
from .provider._tokens import RESOURCE as RESOURCE_TYPE
from .provider._tokens import SCHEDULE_RESOURCE as SCHEDULE_RESOURCE_TYPE
from .provider._wire import SCHEDULE, TO_PROVIDER, TO_WIRE

_OUTPUTS = ("job_id", "url", "etag", "state", "creation_time", "last_modified")


def _options(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    # No ``version``: the engine then uses the plugin the project points it at (or the one
    # installed), and ``pulumi import`` picks the same default provider as the program.
    defaults = pulumi.ResourceOptions(additional_secret_outputs=["accountKey"])
    return pulumi.ResourceOptions.merge(defaults, opts)


class Provider(pulumi.ProviderResource):
    """An explicit ``azure-batch-jobs`` provider: one Batch account, for the resources given
    it with ``ResourceOptions(provider=...)``. Unset values fall back to the
    ``AZURE_BATCH_*`` environment variables, then to Entra ID (``DefaultAzureCredential``)."""

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        endpoint: pulumi.Input[str] | None = None,
        account_name: pulumi.Input[str] | None = None,
        account_key: pulumi.Input[str] | None = None,
    ) -> None:
        props = {
            "endpoint": endpoint,
            "accountName": account_name,
            "accountKey": None if account_key is None else pulumi.Output.secret(account_key),
        }
        super().__init__(PACKAGE, resource_name, props, _options(opts))


class BatchJob(pulumi.CustomResource):
    """An Azure Batch job, with its preparation, release and manager tasks and initial tasks.

    Job properties come from ``args`` (a :class:`BatchJobArgs` or its dict form) and/or
    keyword arguments of the same names, which override ``args``; ``job_id`` and
    ``pool_id`` are shorthands for ``id`` and ``pool_info.pool_id``. Resource settings:

    - ``endpoint``, ``account_name``, ``account_key``: the Batch account (default: the
      provider's configuration, ``azure-batch-jobs:*`` stack config for the default provider,
      then ``AZURE_BATCH_*`` environment variables; without a key, azure-identity's
      ``DefaultAzureCredential``). The key is kept secret.
    - ``delete_timeout_seconds``: how long delete waits for the Job Release tasks and the
      job to be gone (default 1800).
    - ``on_delete``: ``"delete"`` (default) or ``"terminate"`` (keep the job record).
    - ``adopt``: take over an existing job with this id whose specification matches
      (``pulumi import`` does the same for a job whose declaration is written afterwards).
    - ``wait_for_tasks``: ``"none"`` (default) or ``"completion"``: create and update wait
      until every task completed, and fail naming each failed task (its exit code,
      failure category and the end of its ``stderr.txt``); the job stays in the stack.
    - ``wait_timeout_seconds``: how long that wait lasts at most (default 3600).
    - ``triggers``: any values; a change of any replaces the job (a re-run on demand).
    """

    if TYPE_CHECKING:
        # For type checkers only: the SDK sets these Outputs from the property names, and
        # class annotations would make it re-resolve them for every instance it registers.
        job_id: pulumi.Output[str]
        url: pulumi.Output[str]
        etag: pulumi.Output[str]
        state: pulumi.Output[str]
        creation_time: pulumi.Output[str]
        last_modified: pulumi.Output[str]
        preparation_and_release_status: pulumi.Output[list[dict[str, Any]]]
        task_counts: pulumi.Output[dict[str, int]]

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
        wait_for_tasks: pulumi.Input[str] | None = None,
        wait_timeout_seconds: pulumi.Input[float] | None = None,
        triggers: pulumi.Input[Sequence[Any] | Mapping[str, Any]] | None = None,
        **job_properties: Unpack[BatchJobKeywords],
    ) -> None:
        job = _job_args(args, job_id=job_id, pool_id=pool_id, **job_properties)
        props: dict[str, Any] = {k: None for k in _OUTPUTS}
        props["preparation_and_release_status"] = None
        props["task_counts"] = None
        props.update(job.to_inputs())
        if "id" in props:
            props["job_id"] = props.pop("id")
        props.update(
            _settings(
                account_key,
                endpoint=endpoint,
                account_name=account_name,
                delete_timeout_seconds=delete_timeout_seconds,
                on_delete=on_delete,
                adopt=adopt,
                wait_for_tasks=wait_for_tasks,
                wait_timeout_seconds=wait_timeout_seconds,
                triggers=triggers,
            )
        )
        super().__init__(RESOURCE_TYPE, resource_name, props, _options(opts))

    def translate_input_property(self, prop: str) -> str:
        return TO_WIRE.get(prop, prop)

    def translate_output_property(self, prop: str) -> str:
        return TO_PROVIDER.get(prop, prop)


def _fields_given(
    model: type[BatchModel], args: Any, properties: Mapping[str, Any], id_: Any
) -> dict[str, Any]:
    """The fields of ``args`` (an instance of ``model`` or a mapping), the keyword
    ``properties`` over them, and the id shorthand."""
    base: dict[str, Any] = {}
    if isinstance(args, model):
        base = {f.attr: getattr(args, f.attr) for f in model.fields()}
    elif args is not None:
        base = dict(args)
    base.update({k: v for k, v in properties.items() if v is not None})
    if id_ is not None:
        base["id"] = id_
    return base


def _refuse_unknown(model: type[BatchModel], base: Mapping[str, Any], resource: type[Any]) -> None:
    """Raise :class:`UnknownArgumentError` for a name that is neither a field of ``model``
    nor a keyword of ``resource``."""
    known = {f.attr for f in model.fields()}
    for name in sorted(set(base) - known):
        raise UnknownArgumentError(resource.__name__, name, known | _settings_of(resource))


def _settings_of(resource: type[Any]) -> frozenset[str]:
    """The keyword parameters of ``resource``'s constructor (read only for an error)."""
    parameters = inspect.signature(resource.__init__).parameters.values()
    return frozenset(
        p.name
        for p in parameters
        if p.name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD
    )


def _settings(account_key: Any, **settings: Any) -> dict[str, Any]:
    """The resource settings given (the account key as a secret)."""
    if account_key is not None:
        settings["account_key"] = pulumi.Output.secret(account_key)
    return {k: v for k, v in settings.items() if v is not None}


def _job_args(
    args: BatchJobArgs | BatchJobArgsDict | Mapping[str, Any] | None,
    *,
    job_id: pulumi.Input[str] | None,
    pool_id: pulumi.Input[str] | None,
    **job_properties: Any,
) -> BatchJobArgs:
    """One ``BatchJobArgs`` from the args object and the keyword shorthands."""
    base = _fields_given(BatchJobArgs, args, job_properties, job_id)
    if pool_id is not None:
        # The shorthand overrides the pool of ``args``, but not an explicit pool_info.
        if job_properties.get("pool_info") is not None:
            raise TypeError("BatchJob: give either pool_id or pool_info, not both")
        base["pool_info"] = PoolInformation(pool_id=pool_id)
    if base.get("pool_info") is None:
        raise TypeError("BatchJob: pool_id (or pool_info) is required")
    _refuse_unknown(BatchJobArgs, base, BatchJob)
    return BatchJobArgs(**{k: v for k, v in base.items() if v is not None})


class BatchJobSchedule(pulumi.CustomResource):
    """An Azure Batch job schedule: recurring jobs with the job's typed Job Manager,
    Preparation and Release tasks (``job_specification``), created on ``schedule``.

    Schedule properties come from ``args`` (a :class:`BatchJobScheduleArgs` or its dict
    form) and/or keyword arguments of the same names, which override ``args``;
    ``schedule_id`` and ``pool_id`` are shorthands for ``id`` and
    ``job_specification.pool_info.pool_id``. The jobs get no initial tasks: their Job Manager
    Task adds them (``tasks`` is refused). Resource settings:

    - ``endpoint``, ``account_name``, ``account_key``: the Batch account, as ``BatchJob``'s.
    - ``delete_timeout_seconds``: how long delete waits for the active job's Job Release
      tasks and for the schedule and its jobs to be gone (default 1800).
    - ``enabled``: ``False`` disables the schedule (no job is created); default ``True``.

    A change of ``schedule``, ``job_specification`` or ``metadata`` is made in place and
    applies to the jobs created afterwards (the running job keeps its specification); a
    change of the id or the display name replaces the schedule.
    """

    if TYPE_CHECKING:
        schedule_id: pulumi.Output[str]
        url: pulumi.Output[str]
        etag: pulumi.Output[str]
        state: pulumi.Output[str]
        creation_time: pulumi.Output[str]
        last_modified: pulumi.Output[str]
        next_run_time: pulumi.Output[str]
        recent_job_id: pulumi.Output[str]
        recent_jobs: pulumi.Output[list[dict[str, Any]]]

    def __init__(
        self,
        resource_name: str,
        args: BatchJobScheduleArgs | BatchJobScheduleArgsDict | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        schedule_id: pulumi.Input[str] | None = None,
        pool_id: pulumi.Input[str] | None = None,
        endpoint: pulumi.Input[str] | None = None,
        account_name: pulumi.Input[str] | None = None,
        account_key: pulumi.Input[str] | None = None,
        delete_timeout_seconds: pulumi.Input[float] | None = None,
        enabled: pulumi.Input[bool] | None = None,
        **schedule_properties: Unpack[BatchJobScheduleKeywords],
    ) -> None:
        if "tasks" in schedule_properties:
            raise UnknownArgumentError(
                "BatchJobSchedule",
                "tasks",
                (),
                JobSpecification._refused["tasks"],
            )
        schedule = _schedule_args(
            args, schedule_id=schedule_id, pool_id=pool_id, **schedule_properties
        )
        props: dict[str, Any] = dict.fromkeys(SCHEDULE.outputs_wire.values())
        props.update(schedule.to_inputs())
        if "id" in props:
            props["schedule_id"] = props.pop("id")
        props.update(
            _settings(
                account_key,
                endpoint=endpoint,
                account_name=account_name,
                delete_timeout_seconds=delete_timeout_seconds,
                enabled=enabled,
            )
        )
        props.setdefault("schedule_id", None)
        super().__init__(SCHEDULE_RESOURCE_TYPE, resource_name, props, _options(opts))

    def translate_input_property(self, prop: str) -> str:
        return SCHEDULE.to_wire_names.get(prop, prop)

    def translate_output_property(self, prop: str) -> str:
        return SCHEDULE.to_provider.get(prop, prop)


def _schedule_args(
    args: BatchJobScheduleArgs | BatchJobScheduleArgsDict | Mapping[str, Any] | None,
    *,
    schedule_id: pulumi.Input[str] | None,
    pool_id: pulumi.Input[str] | None,
    **schedule_properties: Any,
) -> BatchJobScheduleArgs:
    """One ``BatchJobScheduleArgs`` from the args object and the keyword shorthands."""
    base = _fields_given(BatchJobScheduleArgs, args, schedule_properties, schedule_id)
    if pool_id is not None:
        spec = base.get("job_specification")
        if spec is None:
            raise TypeError("BatchJobSchedule: pool_id needs a job_specification to go in")
        if isinstance(spec, JobSpecification):
            spec = {f.attr: getattr(spec, f.attr) for f in JobSpecification.fields()}
        spec = {k: v for k, v in dict(spec).items() if v is not None}
        if spec.get("pool_info") is not None:
            raise TypeError("BatchJobSchedule: give either pool_id or pool_info, not both")
        base["job_specification"] = {**spec, "pool_info": PoolInformation(pool_id=pool_id)}
    for name in ("schedule", "job_specification"):
        if base.get(name) is None:
            raise TypeError(f"BatchJobSchedule: {name} is required")
    _refuse_unknown(BatchJobScheduleArgs, base, BatchJobSchedule)
    return BatchJobScheduleArgs(**{k: v for k, v in base.items() if v is not None})
