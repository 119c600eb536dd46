"""Shared state of one emulated account: store, clock, ETags, engine, locking."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from batch_emulator.clock import Clock, ETagSource, iso, parse_iso
from batch_emulator.errors import BatchError, condition_not_met, not_found
from batch_emulator.protocols import Engine
from batch_emulator.store import Store

__all__ = ["BASE", "Conditions", "Context", "key"]

#: Placeholder for the account URL in stored bodies; the API layer substitutes the
#: endpoint the client used, so URLs are right over HTTP and HTTPS alike.
BASE = "{batch}"


def key(resource_id: str) -> str:
    """Batch ids are case-insensitive: store them under their lower-cased form."""
    return resource_id.lower()


@dataclass(frozen=True)
class Conditions:
    """HTTP conditional request headers, checked against the resource's ETag and time."""

    if_match: str | None = None
    if_none_match: str | None = None
    if_modified_since: datetime | None = None
    if_unmodified_since: datetime | None = None

    def check(self, body: dict[str, Any] | None, *, read: bool) -> None:
        """Raise 412 (or 304 for reads that are unchanged) when a condition fails."""
        etag = None if body is None else str(body.get("eTag"))
        if self.if_match is not None and not _matches(self.if_match, etag):
            raise condition_not_met()
        if self.if_none_match is not None and _matches(self.if_none_match, etag):
            raise _not_modified() if read else condition_not_met()
        if body is None:
            return
        modified = parse_iso(str(body["lastModified"])).replace(microsecond=0)
        if self.if_unmodified_since is not None and modified > self.if_unmodified_since:
            raise condition_not_met()
        if self.if_modified_since is not None and modified <= self.if_modified_since:
            raise _not_modified() if read else condition_not_met()


def _matches(header: str, etag: str | None) -> bool:
    if etag is None:
        return False
    wanted = [part.strip().removeprefix("W/").strip('"') for part in header.split(",")]
    return "*" in wanted or etag in wanted


def _not_modified() -> BatchError:
    return BatchError(304, "NotModified", "The resource has not been modified.")


@dataclass
class Context:
    """What every verb needs; ``lock`` serialises mutations from requests and the engine."""

    store: Store
    clock: Clock
    engine: Engine
    etags: ETagSource = field(init=False)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.etags = ETagSource(self.clock)

    def now(self) -> datetime:
        return self.clock.now()

    def stamp(self, body: dict[str, Any], now: datetime | None = None) -> None:
        """Give a changed resource a new ETag and last-modified time (``now``, when the
        caller just read the clock)."""
        body["eTag"] = self.etags.next(now)
        body["lastModified"] = iso(self.now() if now is None else now)

    def load(self, kind: str, parent: str, resource_id: str) -> dict[str, Any]:
        body = self.store.get(kind, parent, key(resource_id))
        if body is None:
            raise not_found(kind)
        return body

    def save(self, kind: str, parent: str, body: dict[str, Any]) -> None:
        self.store.put(
            kind, parent, key(str(body["id"] if kind != "prep" else body["nodeId"])), body
        )
