"""Request counters per operation, for tests that assert how many calls a client made."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

__all__ = ["RequestStats"]

_READ_METHODS = frozenset({"GET", "HEAD"})


class RequestStats:
    """Counts Batch API requests by (operation, method, route, status)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str, str, int]] = Counter()

    def record(self, operation: str, method: str, route: str, status: int) -> None:
        with self._lock:
            self._counts[(operation, method, route, status)] += 1

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            items = sorted(self._counts.items())
        rows = [
            {"operation": op, "method": m, "route": r, "status": s, "count": n}
            for (op, m, r, s), n in items
        ]
        return {
            "total": sum(r["count"] for r in rows),
            "reads": sum(r["count"] for r in rows if r["method"] in _READ_METHODS),
            "writes": sum(r["count"] for r in rows if r["method"] not in _READ_METHODS),
            "operations": rows,
        }
