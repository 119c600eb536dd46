"""A dynamic provider that does nothing, pickled by reference like ``BatchJobProvider``."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider


class NoopProvider(ResourceProvider):
    """Echoes its inputs into its outputs (as ``BatchJobProvider`` does) and calls nothing."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=str(props.get("job_id") or "noop"), outs=dict(props))

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=False)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class _NoopResource(Resource, module="bench", name="Noop"):
    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions) -> None:
        super().__init__(NoopProvider(), name, props, opts)


class NoopJob(pulumi.ComponentResource):
    """A component with one no-op dynamic child, shaped like ``BatchJob``."""

    def __init__(self, name: str, spec: dict[str, Any]) -> None:
        super().__init__("bench:index:NoopJob", name, None, None)
        props = {k: v for k, v in spec.items() if k != "id"}
        props["job_id"] = spec["id"]
        _NoopResource(name, props, pulumi.ResourceOptions(parent=self))
        self.register_outputs({})
