"""A small document store over SQLite: one row per resource, its REST JSON as the body.

Resources are addressed by ``(kind, parent, key)`` where ``key`` is the lower-cased id
(Batch ids are case-insensitive) and ``parent`` the owning resource's key ('' at the
account level). Every write commits before the caller answers, so a restart loses
nothing a response confirmed.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Row", "Store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    kind TEXT NOT NULL,
    parent TEXT NOT NULL,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, parent, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS resources_seq ON resources (kind, parent, seq);
"""
#: Keys per ``IN (...)`` query, well under SQLite's limit on bound parameters.
_CHUNK = 500


@dataclass(frozen=True)
class Row:
    """One stored resource: its creation sequence number and REST body."""

    seq: int
    body: dict[str, Any]


class Store:
    """Thread-safe access to one SQLite database; ``path=None`` keeps it in memory."""

    def __init__(self, path: Path | None) -> None:
        target = ":memory:" if path is None else str(path)
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._depth = 0
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a commit survives the process (a restart or a kill loses nothing);
            # only an OS crash may lose the last ones. FULL's fsync per commit doubled the
            # median task start latency on disk (bench/).
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM resources").fetchone()
        self._seq = int(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes into one atomic commit (re-entrant)."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._db.execute("COMMIT")

    def get(self, kind: str, parent: str, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM resources WHERE kind=? AND parent=? AND key=?",
                (kind, parent, key),
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def get_many(
        self, kind: str, parent: str, keys: builtins.list[str], *, keys_only: bool = False
    ) -> dict[str, dict[str, Any]]:
        """The resources of ``keys`` that exist, by key (one query per 500 keys); with
        ``keys_only`` their bodies are left empty (not read)."""
        found: dict[str, dict[str, Any]] = {}
        column = "NULL" if keys_only else "body"
        with self._lock:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))  # placeholders only: values are bound
                rows = self._db.execute(
                    f"SELECT key, {column} FROM resources"  # noqa: S608
                    f" WHERE kind=? AND parent=? AND key IN ({marks})",
                    (kind, parent, *chunk),
                ).fetchall()
                for k, body in rows:
                    found[str(k)] = {} if body is None else dict(json.loads(body))
        return found

    def insert(self, kind: str, parent: str, key: str, body: dict[str, Any]) -> bool:
        """Insert a new resource; False when one with the same key exists."""
        with self.transaction():
            self._seq += 1
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO resources (kind, parent, key, seq, body) VALUES (?,?,?,?,?)",
                (kind, parent, key, self._seq, json.dumps(body, separators=(",", ":"))),
            )
            return cursor.rowcount == 1

    def insert_many(
        self, kind: str, parent: str, items: builtins.list[tuple[str, dict[str, Any]]]
    ) -> builtins.list[bool]:
        """Insert new resources, ``(key, body)`` pairs, in order and in one statement;
        for each, False when one with the same key exists (stored, or earlier in
        ``items``), like :meth:`insert`."""
        with self.transaction():
            existing = set(self.get_many(kind, parent, [k for k, _ in items], keys_only=True))
            rows = []
            inserted = []
            for k, body in items:
                fresh = k not in existing
                inserted.append(fresh)
                if fresh:
                    existing.add(k)
                    self._seq += 1
                    text = json.dumps(body, separators=(",", ":"))
                    rows.append((kind, parent, k, self._seq, text))
            self._db.executemany(
                "INSERT INTO resources (kind, parent, key, seq, body) VALUES (?,?,?,?,?)", rows
            )
        return inserted

    def put(self, kind: str, parent: str, key: str, body: dict[str, Any]) -> None:
        """Replace an existing resource's body (or insert it), keeping its sequence."""
        text = json.dumps(body, separators=(",", ":"))
        with self.transaction():
            cursor = self._db.execute(
                "UPDATE resources SET body=? WHERE kind=? AND parent=? AND key=?",
                (text, kind, parent, key),
            )
            if cursor.rowcount == 0:
                self._seq += 1
                self._db.execute(
                    "INSERT INTO resources (kind, parent, key, seq, body) VALUES (?,?,?,?,?)",
                    (kind, parent, key, self._seq, text),
                )

    def replace_many(
        self, kind: str, parent: str, items: builtins.list[tuple[str, dict[str, Any]]]
    ) -> None:
        """Replace the bodies of existing resources, ``(key, body)`` pairs, in one
        statement; a missing one is inserted like :meth:`put` does."""
        rows = [(json.dumps(body, separators=(",", ":")), kind, parent, k) for k, body in items]
        with self.transaction():
            cursor = self._db.executemany(
                "UPDATE resources SET body=? WHERE kind=? AND parent=? AND key=?", rows
            )
            if cursor.rowcount != len(rows):
                for k, body in items:
                    self.put(kind, parent, k, body)

    def delete(self, kind: str, parent: str, key: str) -> bool:
        with self.transaction():
            cursor = self._db.execute(
                "DELETE FROM resources WHERE kind=? AND parent=? AND key=?", (kind, parent, key)
            )
            return cursor.rowcount == 1

    def delete_children(self, kind: str, parent: str) -> int:
        with self.transaction():
            cursor = self._db.execute(
                "DELETE FROM resources WHERE kind=? AND parent=?", (kind, parent)
            )
            return cursor.rowcount

    def list(self, kind: str, parent: str, after_seq: int = 0) -> list[Row]:
        """All resources of a kind under a parent, in creation order, after a sequence."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, body FROM resources WHERE kind=? AND parent=? AND seq>? ORDER BY seq",
                (kind, parent, after_seq),
            ).fetchall()
        return [Row(int(seq), dict(json.loads(body))) for seq, body in rows]

    def count(self, kind: str, parent: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM resources WHERE kind=? AND parent=?", (kind, parent)
            ).fetchone()
        return int(row[0])

    def count_tasks(self, parent: str) -> builtins.list[tuple[str, str | None, int, int]]:
        """Task counts of a job grouped by (state, result, required slots)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT json_extract(body, '$.state'),"
                " json_extract(body, '$.executionInfo.result'),"
                " COALESCE(json_extract(body, '$.requiredSlots'), 1), COUNT(*)"
                " FROM resources WHERE kind='task' AND parent=? GROUP BY 1, 2, 3",
                (parent,),
            ).fetchall()
        return [(str(a), None if b is None else str(b), int(c), int(d)) for a, b, c, d in rows]

    def clear(self) -> None:
        """Delete every resource (the emulator's reset, for tests)."""
        with self.transaction():
            self._db.execute("DELETE FROM resources")
