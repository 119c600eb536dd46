"""A dynamic provider that does nothing, pickled by reference (an importable module)."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider


class NoopProvider(ResourceProvider):
    """Echoes its inputs into its outputs (as the ``BatchJob`` provider does), calls nothing."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=str(props.get("job_id") or "noop"), outs=dict(props))

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=False)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class NoopJob(Resource, module="bench", name="Noop"):
    """One no-op dynamic resource per job, with the job's inputs."""

    def __init__(self, name: str, spec: dict[str, Any]) -> None:
        props = {k: v for k, v in spec.items() if k != "id"}
        props["job_id"] = spec["id"]
        super().__init__(NoopProvider(), name, props, pulumi.ResourceOptions())
