"""The dynamic provider of releases before 0.2, kept for the stacks they wrote.

Frozen API: those stacks' state pickles the provider by reference to
``pulumi_azure_batch_jobs.dynamic_provider.BatchJobProvider``; moving or renaming it breaks
their refresh and the delete that upgrading runs. Only what that needs is kept: ``configure``,
``read`` (a refresh before the upgrade) and ``delete``, which leaves alone a job the native
provider has taken over (the upgrade's create adopts the job, then the engine deletes the old
resource through this class).
"""

from __future__ import annotations

import sys
from typing import Any, cast

from pulumi.dynamic import ConfigureRequest, ReadResult, ResourceProvider

from .core._connection import (
    CONFIG_NAMESPACE,
    BatchConfigurationError,
    resolve_connection,
    shared_client,
)
from .core._errors import BatchJobError, install_concise_errors
from .core._job_service import BatchJobService
from .core._stamp import is_managed_natively
from .provider import _spec_bridge as bridge
from .provider._props import BatchJobState

DEFAULT_DELETE_TIMEOUT_SECONDS = 1800.0


def _progress(message: str) -> None:
    # The provider's stderr becomes diagnostics in the CLI.
    print(message, file=sys.stderr, flush=True)


class BatchJobProvider(ResourceProvider):
    """Read and delete one Batch job of a stack written by a release before 0.2."""

    serialize_as_secret_always = False

    def __init__(self) -> None:
        self._config: dict[str, str | None] = {}

    def configure(self, req: ConfigureRequest) -> None:
        install_concise_errors()
        self._config = {
            key: req.config.get(f"{CONFIG_NAMESPACE}:{key}")
            for key in ("endpoint", "accountName", "accountKey")
        }

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        service = self._service(props)
        job = service.get(id_)
        if job is None:
            return ReadResult(id_="", outs={})
        outs: dict[str, Any] = dict(bridge.merge_observed_spec(cast(BatchJobState, props), job))
        outs.update(bridge.observed_outputs(job))
        outs["preparation_and_release_status"] = service.preparation_and_release_status(id_)
        outs.pop("__provider", None)
        inputs = {k: v for k, v in outs.items() if k in props and k not in bridge.COMPUTED_OUTPUTS}
        return ReadResult(id_=id_, outs=outs, inputs=inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        service = self._service(props)
        job = service.get(id_)
        if job is None:
            return
        if is_managed_natively(job):
            _progress(f"job {id_} is now managed by the azure-batch-jobs provider: kept")
            return
        timeout = float(props.get("delete_timeout_seconds") or DEFAULT_DELETE_TIMEOUT_SECONDS)
        terminate_only = props.get("on_delete") == "terminate"
        service.delete(id_, timeout=timeout, terminate_only=terminate_only)

    def _service(self, props: dict[str, Any]) -> BatchJobService:
        try:
            connection = resolve_connection(
                endpoint=props.get("endpoint"),
                account_name=props.get("account_name"),
                account_key=props.get("account_key"),
                config=self._config.get,
            )
        except BatchConfigurationError as exc:
            raise BatchJobError(str(exc)) from None
        return BatchJobService(shared_client(connection), progress=_progress)
