"""The ``azure-batch-jobs`` resource provider's operations on the provider's flat properties.

The gRPC server (``_server``) turns wire properties into these and back; this module holds
what each operation means for a Batch job. Blocking azure-batch calls run on a thread pool
of their own, so the server's event loop stays free and many deletes wait at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pulumi.runtime.rpc import UNKNOWN as UNKNOWN_ID

from ..core._connection import (
    BatchConfigurationError,
    BatchConnection,
    resolve_connection,
    shared_client,
)
from ..core._diff_plan import (
    PATCHABLE,
    PATCHABLE_WHILE_DISABLED,
    REPLACING_SETTINGS,
    DiffPlan,
    plan_diff,
)
from ..core._errors import BatchJobError
from ..core._stamp import taken_over, with_create_token
from ..validation._errors import ValidationError
from ..validation._values import is_unknown
from . import _spec_bridge as bridge
from ._props import AccountSettings, BatchJobInputs, BatchJobState, ResourceSettings
from ._wire import wire_error

if TYPE_CHECKING:
    from azure.batch import BatchClient

    from ..core._job_service import BatchJobService

DEFAULT_DELETE_TIMEOUT_SECONDS = 1800.0
DEFAULT_WAIT_TIMEOUT_SECONDS = 3600.0
ON_DELETE_VALUES = ("delete", "terminate")
WAIT_FOR_TASKS_VALUES = ("none", "completion")
#: Threads for blocking Batch calls: the engine runs up to ``--parallel`` steps at once.
WORKER_THREADS = 64
#: Batch job ids are at most 64 characters; a generated one is ``<prefix>-<8 hex>``.
_PREFIX_LENGTH = 55

Progress = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Urn:
    """The parts of a resource URN this provider uses."""

    stack: str
    project: str
    type: str
    name: str

    @classmethod
    def parse(cls, urn: str) -> Urn:
        # urn:pulumi:<stack>::<project>::<parent types $ ... $ type>::<name>
        parts = urn.split("::")
        if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
            raise ValueError(f"not a resource URN: {urn!r}")
        return cls(
            stack=parts[0].removeprefix("urn:pulumi:"),
            project=parts[1],
            type=parts[2].split("$")[-1],
            name="::".join(parts[3:]),
        )

    def create_token(self) -> str:
        """A hash of project, stack, type and name: stable for the resource, unique per stack
        (the same value the dynamic provider of earlier releases stamped its jobs with)."""
        identity = f"{self.project}\0{self.stack}\0{self.type}\0{self.name}"
        return hashlib.sha256(identity.encode()).hexdigest()[:32]


def _contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    return False


def generated_id(urn: Urn, fixed: Mapping[str, Any]) -> str | None:
    """``<name>-<8 hex>`` from the URN and the properties a change of which replaces the
    resource: the same in ``preview`` and ``up`` and across runs, new for a replacement
    (whose properties differ). None while any of them is unknown."""
    if _contains_unknown(fixed):
        return None
    text = json.dumps([urn.create_token(), fixed], sort_keys=True, default=str)
    return f"{urn.name[:_PREFIX_LENGTH]}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def fill_generated_id(
    olds: Mapping[str, Any],
    inputs: dict[str, Any],
    id_name: str,
    generate: Callable[[], str | None],
) -> None:
    """Set ``inputs[id_name]`` when the program gave none: the recorded generated id, else
    ``generate()`` (unknown while that is None); and ``<id_name>_generated``."""
    flag = f"{id_name}_generated"
    if inputs.get(id_name):
        inputs[flag] = False
        return
    if olds.get(flag) and olds.get(id_name):
        inputs[id_name] = olds[id_name]
    else:
        inputs[id_name] = generate() or UNKNOWN_ID
    inputs[flag] = True


def generated_job_id(urn: Urn, props: Mapping[str, Any]) -> str | None:
    """``<name>-<8 hex>`` from the URN and the properties a change of which replaces the job
    (``triggers`` only when set, so ids generated before it existed stay): the same in
    ``preview`` and ``up`` and across runs, new for a replacement (whose properties differ).
    None while any of them is unknown."""
    fixed = {
        k: v
        for k, v in bridge.job_spec(props).items()
        if k not in PATCHABLE and k not in PATCHABLE_WHILE_DISABLED and k != "id"
    }
    fixed.update({k: props[k] for k in REPLACING_SETTINGS if props.get(k) not in (None, [], {})})
    return generated_id(urn, fixed)


class TasksWaitError(BatchJobError):
    """The job was created or changed, but waiting for its tasks failed: ``state`` is what
    the engine records (the job stays in the stack; the next update waits again)."""

    def __init__(self, message: str, state: BatchJobState) -> None:
        super().__init__(message)
        self.state = state


class AccountProvider:
    """What every resource type of the plugin shares: the provider configuration, the
    account a resource names (arguments, configuration, environment), the Batch client and
    the thread pool for blocking calls."""

    def __init__(self, threads: ThreadPoolExecutor | None = None) -> None:
        self._config: dict[str, str | None] = {}
        self._threads = threads or ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="batch")

    @property
    def threads(self) -> ThreadPoolExecutor:
        """The pool blocking calls run on (one for every resource type)."""
        return self._threads

    def configure(self, config: Mapping[str, str | None]) -> None:
        """Provider configuration: ``endpoint``, ``accountName``, ``accountKey``."""
        self._config = {k: config.get(k) for k in ("endpoint", "accountName", "accountKey")}

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, fn, *args)

    def _connection(self, props: AccountSettings) -> BatchConnection:
        return resolve_connection(
            endpoint=props.get("endpoint"),
            account_name=props.get("account_name"),
            account_key=props.get("account_key"),
            config=self._config.get,
        )

    def _record_account(self, props: AccountSettings) -> None:
        """Record the resolved endpoint and account name in the resource's properties."""
        connection = self._connection(props)
        props["endpoint"] = connection.endpoint
        if connection.account_name:
            props["account_name"] = connection.account_name

    def _client(self, props: AccountSettings) -> BatchClient:
        try:
            connection = self._connection(props)
        except BatchConfigurationError as exc:
            raise BatchJobError(str(exc)) from None
        return shared_client(connection)


class BatchJobsProvider(AccountProvider):
    """Check, diff, create, read, update and delete Batch jobs."""

    # -- plan -----------------------------------------------------------------------------

    def check(
        self, urn: str, olds: BatchJobState, news: BatchJobInputs
    ) -> tuple[BatchJobInputs, list[str]]:
        """Inputs with a job id and the account filled in, and every broken rule."""
        inputs = news.copy()
        failures: list[str] = []
        fill_generated_id(
            olds,
            cast(dict[str, Any], inputs),
            "job_id",
            lambda: generated_job_id(Urn.parse(urn), inputs),
        )
        errors = bridge.validate(inputs)
        on_delete = inputs.get("on_delete") or "delete"
        if not is_unknown(on_delete) and on_delete not in ON_DELETE_VALUES:
            rule = "must be 'delete' or 'terminate'"
            errors.append(ValidationError("on_delete", rule, on_delete))
        wait = inputs.get("wait_for_tasks") or "none"
        if not is_unknown(wait) and wait not in WAIT_FOR_TASKS_VALUES:
            rule = "must be 'none' or 'completion'"
            errors.append(ValidationError("wait_for_tasks", rule, wait))
        errors.extend(positive_seconds(inputs, "wait_timeout_seconds"))
        failures.extend(str(wire_error(error)) for error in errors)
        try:
            self._record_account(inputs)
        except BatchConfigurationError as exc:
            failures.append(str(exc))
        return inputs, failures

    @staticmethod
    def diff(olds: BatchJobState, news: BatchJobInputs) -> tuple[DiffPlan, bool]:
        """What changes, and whether the old job must go first: when its id stays (a fixed
        id, or ``pulumi up --replace``, which replaces a job none of whose properties
        changed and so keeps even a generated id), as ids are unique per account."""
        plan = plan_diff(olds, _with_generated_id_of(olds, news))
        return plan, not plan.replaces or not news.get("job_id_generated")

    # -- apply ----------------------------------------------------------------------------

    async def create(self, urn: str, props: BatchJobInputs, progress: Progress) -> BatchJobState:
        return await self._run(self._create, Urn.parse(urn), props, progress)

    def _create(self, urn: Urn, props: BatchJobInputs, progress: Progress) -> BatchJobState:
        service = self._service(props, progress)
        job, tasks = bridge.to_rest(props)
        token = urn.create_token()
        owner = uuid.uuid4().hex[:16]
        if props.get("adopt"):
            observed = self._adopt(service, str(props["job_id"]), props)
        elif props.get("job_id_generated") and (own := self._own_generated(service, urn, props)):
            # A job this resource created under another generated id (an earlier release
            # drew ids at random): keep it rather than replace it.
            service.take_over(own, token, owner)
            observed = service.get(str(own["id"])) or own
        else:
            observed = service.create(job, tasks, token, owner)
        outs = _outputs(props, bridge.observed_outputs(observed), [])
        outs["job_id"] = observed.get("id") or props["job_id"]
        outs["owner"] = owner
        if props.get("wait_for_tasks") == "completion":
            return _waited(service, outs)
        outs["task_counts"] = service.task_counts(str(outs["job_id"]))
        return outs

    @staticmethod
    def _own_generated(
        service: BatchJobService, urn: Urn, props: BatchJobInputs
    ) -> dict[str, Any] | None:
        found = service.find_own(f"{urn.name[:_PREFIX_LENGTH]}-", urn.create_token())
        if found is None or bridge.spec_differences(props, found):
            return None
        return found

    async def update(
        self, urn: str, olds: BatchJobState, news: BatchJobInputs, progress: Progress
    ) -> BatchJobState:
        return await self._run(self._update, Urn.parse(urn), olds, news, progress)

    def _update(
        self, urn: Urn, olds: BatchJobState, news: BatchJobInputs, progress: Progress
    ) -> BatchJobState:
        news = _with_generated_id_of(olds, news)
        plan = plan_diff(olds, news)
        service = self._service(news, progress)
        job_id = str(news["job_id"])
        observed = {k: v for k, v in olds.items() if k in bridge.COMPUTED_OUTPUTS}
        job, _ = bridge.to_rest(news)
        if plan.patches:
            changes = {bridge.rest_key(f): job.get(bridge.rest_key(f)) for f in plan.patches}
            if "metadata" in changes:
                token, owner = urn.create_token(), olds.get("owner")
                changes["metadata"] = with_create_token(changes["metadata"], token, owner)
            observed.update(
                bridge.observed_outputs(service.patch(job_id, changes, olds.get("etag")))
            )
        if plan.pool_change:
            job_pool = job["poolInfo"]
            changed = service.change_pool(job_id, job_pool, delete_timeout(news))
            observed.update(bridge.observed_outputs(changed))
        outs = _outputs(news, observed, olds.get("preparation_and_release_status") or [])
        if news.get("wait_for_tasks") == "completion":
            return _waited(service, outs)
        return outs

    async def read(
        self, id_: str, props: BatchJobState, progress: Progress
    ) -> BatchJobState | None:
        """The job as the service has it (inputs refreshed from it), or None when gone."""
        return await self._run(self._read, id_, props, progress)

    def _read(self, id_: str, props: BatchJobState, progress: Progress) -> BatchJobState | None:
        service = self._service(props, progress)
        job = service.get(id_)
        if job is None:
            return None
        status = service.preparation_and_release_status(id_)
        if not props:  # an import: the job's own specification is the declaration
            spec = bridge.without_service_defaults(bridge.service_spec(job))
            props = cast(BatchJobState, {**spec, "job_id": id_, "job_id_generated": False})
            self._record_account(props)
        refreshed = bridge.merge_observed_spec(props, job)
        outs = _outputs(refreshed, bridge.observed_outputs(job), status)
        outs["task_counts"] = service.task_counts(id_)
        return outs

    async def delete(self, id_: str, props: BatchJobState, progress: Progress) -> None:
        await self._run(self._delete, id_, props, progress)

    def _delete(self, id_: str, props: BatchJobState, progress: Progress) -> None:
        service = self._service(props, progress)
        job = service.get(id_)
        if job is None:
            return
        if taken_over(job, props.get("owner")):
            # A replacement that kept the id (create before delete) took the job over.
            progress(f"job {id_} now belongs to this resource's replacement: kept")
            return
        terminate_only = props.get("on_delete") == "terminate"
        service.delete(id_, timeout=delete_timeout(props), terminate_only=terminate_only)

    # -- helpers --------------------------------------------------------------------------

    def _service(self, props: ResourceSettings, progress: Progress) -> BatchJobService:
        from ..core._job_service import BatchJobService  # imports azure-core

        return BatchJobService(self._client(props), progress=progress)

    @staticmethod
    def _adopt(service: BatchJobService, job_id: str, props: BatchJobInputs) -> dict[str, Any]:
        existing = service.get(job_id)
        if existing is None:
            raise BatchJobError(f"adopting job {job_id!r} failed: no such job in the account")
        differences = bridge.spec_differences(props, existing)
        if differences:
            raise BatchJobError(
                f"adopting job {job_id!r} failed: the existing job differs from the declaration in "
                + "; ".join(differences)
            )
        return existing


def _with_generated_id_of(olds: BatchJobState, news: BatchJobInputs) -> BatchJobInputs:
    """``news`` with the job's recorded id when both ids are generated: the job a create
    kept under another generated id (an upgrade from 0.1) keeps it, and a generated id
    changes only with the replace-forcing properties, which are compared anyway."""
    return cast(BatchJobInputs, with_generated_id_of(olds, news, "job_id"))


def with_generated_id_of(
    olds: Mapping[str, Any], news: Mapping[str, Any], id_name: str
) -> dict[str, Any]:
    """``news`` with the recorded ``id_name`` when both it and the new one are generated."""
    flag = f"{id_name}_generated"
    if olds.get(flag) and news.get(flag) and olds.get(id_name):
        return {**news, id_name: olds[id_name]}
    return dict(news)


def delete_timeout(props: AccountSettings) -> float:
    return float(props.get("delete_timeout_seconds") or DEFAULT_DELETE_TIMEOUT_SECONDS)


def positive_seconds(props: AccountSettings, *names: str) -> list[ValidationError]:
    errors = []
    for name in names:
        value = cast(Mapping[str, Any], props).get(name)
        if value is None or is_unknown(value):
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            errors.append(ValidationError(name, "must be a number of seconds above 0", value))
    return errors


def _waited(service: BatchJobService, outs: BatchJobState) -> BatchJobState:
    """``outs`` with the task counts once every task completed (``wait_for_tasks``)."""
    job_id = str(outs["job_id"])
    timeout = float(outs.get("wait_timeout_seconds") or DEFAULT_WAIT_TIMEOUT_SECONDS)
    try:
        outs["task_counts"] = service.wait_for_tasks(job_id, timeout)
    except BatchJobError as exc:
        counts = getattr(exc, "counts", None)
        if counts is not None:
            outs["task_counts"] = counts
        raise TasksWaitError(str(exc), outs) from None
    return outs


def _outputs(
    props: BatchJobInputs, observed: Mapping[str, Any], status: list[dict[str, Any]]
) -> BatchJobState:
    """Inputs echoed (the engine diffs old outputs against new inputs) plus facts.

    ``__provider``, ``create_token`` and ``create_id`` are 0.1's, in the properties of a
    stack upgraded from it: dropped."""
    outs = {k: v for k, v in props.items() if k not in ("__provider", "create_token", "create_id")}
    outs.update(observed)
    outs["preparation_and_release_status"] = status
    return cast(BatchJobState, outs)
