"""Fixtures: one real emulator process per session, and azure-batch clients for it."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from azure.batch import BatchClient
from azure.core.credentials import AzureNamedKeyCredential

from batch_emulator.testing import EmulatorHandle, serve_files, start_emulator


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorHandle]:
    """The REST-surface tests assert on state right after a request, so their emulator
    completes tasks at once; the engine's tests (test_engine_*, test_job_release_*) use
    ``engine_emulator`` or their own, which really run tasks."""
    with start_emulator(nodes=3, slots=2, engine="instant") as handle:
        yield handle


@pytest.fixture(scope="session")
def tls_emulator() -> Iterator[EmulatorHandle]:
    with start_emulator(tls=True, nodes=1, engine="instant") as handle:
        yield handle


@pytest.fixture(scope="session")
def client(emulator: EmulatorHandle) -> BatchClient:
    return BatchClient(emulator.endpoint, AzureNamedKeyCredential(emulator.account, emulator.key))


_counter = itertools.count()


@pytest.fixture
def new_id() -> Callable[[str], str]:
    """Unique ids per test, so tests share one emulator without colliding."""
    run = uuid.uuid4().hex[:6]

    def make(prefix: str = "x") -> str:
        return f"{prefix}-{run}-{next(_counter)}"

    return make


@pytest.fixture(scope="session")
def engine_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorHandle]:
    """An emulator whose process engine really runs tasks, nodes under a known root."""
    root = tmp_path_factory.mktemp("nodes")
    with start_emulator(nodes=1, slots=1, node_root=root) as handle:
        yield handle
    assert processes_under(root) == [], "processes outlived the emulator"


def processes_under(root: Path) -> list[int]:
    """Live processes whose working directory is below ``root`` (orphans of an engine)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = (entry / "cwd").readlink()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and cwd.is_relative_to(root):
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="session")
def file_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Resource files on loopback: ``/files/hello.sh`` and a container of two blobs."""
    root = tmp_path_factory.mktemp("served")
    (root / "files").mkdir()
    (root / "files" / "hello.sh").write_text("#!/bin/sh\necho hello from a resource file\n")
    (root / "container" / "data").mkdir(parents=True)
    (root / "container" / "data" / "a.txt").write_text("blob a\n")
    (root / "container" / "b.txt").write_text("blob b\n")
    with serve_files(root) as url:
        yield url
