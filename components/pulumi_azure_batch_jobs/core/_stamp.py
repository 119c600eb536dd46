"""The two metadata entries the provider stamps on each job and job schedule it creates.

The create token (a hash of project, stack, type and name) lets a create whose response was
lost, and was retried, recognise its own job instead of failing as ``JobExists``; the owner
stamp says which resource instance created or took over the job, so the delete of a
resource whose job a replacement took over leaves it alone, and so does 0.1's dynamic
provider for a job the native provider manages. Plain functions over REST JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: Metadata entry that marks a job as created by a given resource, so that a create
#: whose response was lost and retried is recognised instead of failing as JobExists.
CREATE_MARKER_NAME = "pulumi-azure-batch-jobs-create-id"
#: Metadata entry that marks a job as managed by the native provider: the dynamic provider
#: of earlier releases (still run for the delete of an upgraded stack's old resource) leaves
#: such a job alone.
MANAGED_BY_NAME = "pulumi-azure-batch-jobs-provider"
MANAGED_BY_NATIVE = "native"
_INTERNAL_METADATA = frozenset({CREATE_MARKER_NAME, MANAGED_BY_NAME})


def with_create_token(
    metadata: Sequence[Mapping[str, Any]] | None, token: str, owner: str | None = None
) -> list[Any]:
    """The job's metadata plus the create-token and managed-by entries (``owner``: the
    resource instance that created or took over the job)."""
    managed_by = f"{MANAGED_BY_NATIVE}:{owner}" if owner else MANAGED_BY_NATIVE
    return [
        *without_create_token(metadata),
        {"name": CREATE_MARKER_NAME, "value": token},
        {"name": MANAGED_BY_NAME, "value": managed_by},
    ]


def without_create_token(metadata: Sequence[Mapping[str, Any]] | None) -> list[Any]:
    """The job's metadata as the user declared it."""
    return [dict(m) for m in metadata or [] if m.get("name") not in _INTERNAL_METADATA]


def _entry(job: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    """The first metadata entry of the job called ``name``, if any."""
    return next((m for m in job.get("metadata") or [] if m.get("name") == name), None)


def _managed_by(job: Mapping[str, Any]) -> str | None:
    entry = _entry(job, MANAGED_BY_NAME)
    return None if entry is None else str(entry.get("value") or "")


def is_managed_natively(job: Mapping[str, Any]) -> bool:
    """True for a job the native provider created or took over."""
    value = _managed_by(job)
    return value is not None and value.split(":")[0] == MANAGED_BY_NATIVE


def owner_of(job: Mapping[str, Any]) -> str | None:
    """The resource instance that created or last took over the job, if recorded."""
    value = _managed_by(job) or ""
    return value.partition(":")[2] or None


def taken_over(found: Mapping[str, Any], owner: str | None) -> bool:
    """True when a job (or schedule) now belongs to another resource instance than
    ``owner``: a replacement that kept the id took it over (its delete must leave it)."""
    current = owner_of(found)
    return bool(current and owner and current != owner)


def create_token_of(job: Mapping[str, Any]) -> str | None:
    """The create token recorded in a job's REST JSON, if any."""
    value = (_entry(job, CREATE_MARKER_NAME) or {}).get("value")
    return None if value is None else str(value)
