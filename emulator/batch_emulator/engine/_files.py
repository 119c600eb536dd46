"""The nodes' disks as the file API reads them: stat, list, read a byte range, delete.

Every path is resolved (symlinks followed) and must stay inside the directory the request
is confined to; anything that leads outside reads as absent.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from batch_emulator.engine._layout import NodeLayout
from batch_emulator.protocols import FileInfo

__all__ = ["DiskFiles"]

_CHUNK = 64 * 1024


class DiskFiles:
    """Implements :class:`batch_emulator.protocols.NodeFiles` over the node root."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def _top(self, pool_id: str, node_id: str, base: str) -> Path | None:
        node = NodeLayout.of(self._root, pool_id, node_id).root
        try:
            real_node = node.resolve(strict=True)
            top = (node / base).resolve(strict=True)
        except OSError:
            return None
        return top if _inside(top, real_node) else None

    def _find(self, pool_id: str, node_id: str, base: str, path: str) -> Path | None:
        top = self._top(pool_id, node_id, base)
        if top is None:
            return None
        try:
            found = (top / path).resolve(strict=True)
        except OSError:
            return None
        return found if _inside(found, top) else None

    def stat(self, pool_id: str, node_id: str, base: str, path: str) -> FileInfo | None:
        found = self._find(pool_id, node_id, base, path)
        return None if found is None else _info(path, found)

    def listing(
        self, pool_id: str, node_id: str, base: str, recursive: bool
    ) -> list[FileInfo] | None:
        top = self._top(pool_id, node_id, base)
        if top is None or not top.is_dir():
            return None
        out: list[FileInfo] = []
        pending = [top]
        while pending:
            folder = pending.pop()
            for entry in sorted(folder.iterdir()):
                name = entry.relative_to(top).as_posix()
                try:
                    real = entry.resolve(strict=True)
                except OSError:
                    continue
                if not _inside(real, top):
                    continue
                info = _info(name, real)
                out.append(info)
                if recursive and info.is_directory and not entry.is_symlink():
                    pending.append(entry)
        return sorted(out, key=lambda i: i.name)

    def read(
        self, pool_id: str, node_id: str, base: str, path: str, start: int, end: int
    ) -> Iterator[bytes]:
        found = self._find(pool_id, node_id, base, path)
        if found is None or found.is_dir():
            return
        with found.open("rb") as stream:
            stream.seek(start)
            left = end - start
            while left > 0:
                chunk = stream.read(min(_CHUNK, left))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk

    def delete(
        self, pool_id: str, node_id: str, base: str, path: str, recursive: bool
    ) -> Literal["deleted", "missing", "not_empty"]:
        top = self._top(pool_id, node_id, base)
        found = self._find(pool_id, node_id, base, path)
        if top is None or found is None:
            return "missing"
        target = top / path  # a symlink inside goes, not what it points to
        if target.is_symlink() or not found.is_dir():
            target.unlink()
        elif recursive:
            shutil.rmtree(found)
        else:
            try:
                found.rmdir()
            except OSError:
                return "not_empty"
        return "deleted"


def _inside(path: Path, top: Path) -> bool:
    return path == top or path.is_relative_to(top)


def _info(name: str, path: Path) -> FileInfo:
    st = path.stat()
    is_dir = path.is_dir()
    return FileInfo(
        name=name,
        is_directory=is_dir,
        size=0 if is_dir else st.st_size,
        created=datetime.fromtimestamp(st.st_ctime, UTC),
        modified=datetime.fromtimestamp(st.st_mtime, UTC),
        mode=f"0{st.st_mode:o}",
    )
