"""List queries: filter, select and ``maxresults`` paging with a continuation token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from batch_emulator.errors import invalid_query
from batch_emulator.service._odata import parse_filter, project
from batch_emulator.store import Row

__all__ = ["DEFAULT_MAX_RESULTS", "ListQuery", "Page"]

DEFAULT_MAX_RESULTS = 1000


@dataclass(frozen=True)
class ListQuery:
    """The OData query options of a list operation, as the client sent them."""

    filter: str | None = None
    select: str | None = None
    max_results: int = DEFAULT_MAX_RESULTS
    skip_token: str | None = None

    def after_seq(self) -> int:
        if not self.skip_token:
            return 0
        try:
            return int(self.skip_token)
        except ValueError:
            raise invalid_query("$skiptoken", self.skip_token, "Invalid token.") from None


@dataclass(frozen=True)
class Page:
    """One page of a list: the items and, when more remain, the continuation token."""

    items: list[dict[str, Any]]
    next_token: str | None


def paginate(rows: list[Row], query: ListQuery) -> Page:
    predicate = parse_filter(query.filter)
    items: list[dict[str, Any]] = []
    last = 0
    more = False
    for row in rows:
        if predicate is not None and not predicate(row.body):
            continue
        if len(items) == query.max_results:
            more = True
            break
        items.append(project(row.body, query.select))
        last = row.seq
    return Page(items, str(last) if more else None)
