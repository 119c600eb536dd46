"""The dynamic provider behind ``BatchJob``.

Frozen API: Pulumi pickles the provider instance into every stack's state by reference
to ``pulumi_azure_batch_jobs.dynamic_provider.BatchJobProvider``; moving or renaming
it breaks refresh and destroy of existing stacks. The module is side-effect free and
the instance holds no client and no credential: each operation resolves the connection
from its inputs, the stack config (given to ``configure``) and the environment.
"""

from __future__ import annotations

import secrets
import sys
import uuid
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from . import _spec_bridge as bridge
from ._connection import (
    CONFIG_NAMESPACE,
    BatchConfigurationError,
    resolve_connection,
    shared_client,
)
from ._diff_plan import plan_diff
from ._errors import BatchJobError, install_concise_errors
from ._job_service import BatchJobService, with_create_token
from ._values import is_unknown

DEFAULT_DELETE_TIMEOUT_SECONDS = 1800.0
ON_DELETE_VALUES = ("delete", "terminate")


def _progress(message: str) -> None:
    # The provider's stderr becomes diagnostics of the resource in the CLI.
    print(message, file=sys.stderr, flush=True)


class BatchJobProvider(ResourceProvider):
    """Create, diff, update, read and delete one Batch job."""

    serialize_as_secret_always = False

    def __init__(self) -> None:
        self._config: dict[str, str | None] = {}

    def configure(self, req: ConfigureRequest) -> None:
        install_concise_errors()
        cfg = req.config
        self._config = {
            key: cfg.get(f"{CONFIG_NAMESPACE}:{key}")
            for key in ("endpoint", "accountName", "accountKey")
        }

    # -- plan -------------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = dict(news)
        failures: list[CheckFailure] = []
        if not inputs.get("job_id"):
            if _olds.get("job_id_generated") and _olds.get("job_id"):
                inputs["job_id"] = _olds["job_id"]
            else:
                prefix = str(inputs.get("auto_name_prefix") or "job")[:55]
                inputs["job_id"] = f"{prefix}-{secrets.token_hex(4)}"
            inputs["job_id_generated"] = True
        else:
            inputs["job_id_generated"] = False
        # No property on the failures: the engine would print the property's whole value
        # (secrets included) before our message, which already names the field path.
        failures.extend(CheckFailure("", str(error)) for error in bridge.validate(inputs))
        on_delete = inputs.get("on_delete") or "delete"
        if not is_unknown(on_delete) and on_delete not in ON_DELETE_VALUES:
            failures.append(
                CheckFailure("", f"on_delete: must be 'delete' or 'terminate' (got {on_delete!r})")
            )
        try:
            connection = self._connection(inputs)
        except BatchConfigurationError as exc:
            failures.append(CheckFailure("", str(exc)))
        else:
            inputs["endpoint"] = connection.endpoint
            inputs["account_name"] = connection.account_name
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        plan = plan_diff(olds, news)
        return DiffResult(
            changes=None,
            replaces=plan.replaces,
            delete_before_replace=bool(plan.replaces) and not news.get("job_id_generated"),
        )

    # -- apply ------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        service = self._service(props)
        job, tasks = bridge.to_rest(props)
        job_id = str(props["job_id"])
        # The component passes a token derived from the resource's URN, so a create whose
        # run was killed after the job was added (its pending create cleared by refresh)
        # recognises the job as its own on the next up instead of failing as JobExists.
        create_id = str(props.get("create_token") or uuid.uuid4().hex)
        if props.get("adopt"):
            observed = self._adopt(service, job_id, props)
        else:
            observed = service.create(job, tasks, create_id)
        outs = self._outputs(props, bridge.observed_outputs(observed), [])
        _keep_token_of_record(outs, create_id)
        return CreateResult(id_=job_id, outs=outs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        plan = plan_diff(olds, news)
        service = self._service(news)
        job_id = str(news["job_id"])
        observed = {k: olds[k] for k in bridge.COMPUTED_OUTPUTS if k in olds}
        job, _ = bridge.to_rest(news)
        if plan.patches:
            changes = {bridge.rest_key(f): job.get(bridge.rest_key(f)) for f in plan.patches}
            if "metadata" in changes:
                changes["metadata"] = with_create_token(changes["metadata"], _token_of_record(olds))
            observed.update(
                bridge.observed_outputs(service.patch(job_id, changes, olds.get("etag")))
            )
        if plan.pool_change:
            observed.update(
                bridge.observed_outputs(
                    service.change_pool(job_id, job["poolInfo"], self._timeout(news))
                )
            )
        outs = self._outputs(news, observed, olds.get("preparation_and_release_status") or [])
        _keep_token_of_record(outs, _token_of_record(olds))
        return UpdateResult(outs=outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        service = self._service(props)
        job = service.get(id_)
        if job is None:
            return ReadResult(id_="", outs={})
        status = service.preparation_and_release_status(id_)
        refreshed = bridge.merge_observed_spec(props, job)
        outs = self._outputs(refreshed, bridge.observed_outputs(job), status)
        _keep_token_of_record(outs, _token_of_record(props))
        inputs = {k: v for k, v in outs.items() if k in props and k not in bridge.COMPUTED_OUTPUTS}
        return ReadResult(id_=id_, outs=outs, inputs=inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        service = self._service(props)
        terminate_only = props.get("on_delete") == "terminate"
        service.delete(id_, timeout=self._timeout(props), terminate_only=terminate_only)

    # -- helpers ----------------------------------------------------------------------

    @staticmethod
    def _timeout(props: dict[str, Any]) -> float:
        return float(props.get("delete_timeout_seconds") or DEFAULT_DELETE_TIMEOUT_SECONDS)

    def _connection(self, props: dict[str, Any]) -> Any:
        return resolve_connection(
            endpoint=props.get("endpoint"),
            account_name=props.get("account_name"),
            account_key=props.get("account_key"),
            config=self._config.get,
        )

    def _service(self, props: dict[str, Any]) -> BatchJobService:
        try:
            connection = self._connection(props)
        except BatchConfigurationError as exc:
            raise BatchJobError(str(exc)) from None
        return BatchJobService(shared_client(connection), progress=_progress)

    def _adopt(
        self, service: BatchJobService, job_id: str, props: dict[str, Any]
    ) -> dict[str, Any]:
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

    @staticmethod
    def _outputs(
        props: dict[str, Any], observed: dict[str, Any], status: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Inputs echoed (the engine diffs old outputs against new inputs) plus facts."""
        outs = {k: v for k, v in props.items() if k != "__provider"}
        outs.update(observed)
        outs["preparation_and_release_status"] = status
        return outs


def _token_of_record(outs: dict[str, Any]) -> str:
    """The create token the job was tagged with: ``create_id`` when it differs from the
    ``create_token`` input (a random one, or an older token), else ``create_token``."""
    return str(outs.get("create_id") or outs.get("create_token") or "")


def _keep_token_of_record(outs: dict[str, Any], token: str) -> None:
    """Record the job's token as ``create_id`` only when the input does not already say it
    (state bytes: the usual token is the ``create_token`` input, echoed)."""
    if token and token != outs.get("create_token"):
        outs["create_id"] = token
    else:
        outs.pop("create_id", None)
