"""Helpers for tests of the emulator's execution engine, through the azure-batch SDK.

Each test gets its own small pool (``Bench.pool``) so tasks of other tests never share
its slots. Waiting polls the REST API with a deadline (never a bare sleep). Also: an
engine emulator on a data directory (restarts) and the processes its tasks left.
"""

from __future__ import annotations

import itertools
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.credentials import AzureNamedKeyCredential

from batch_emulator.testing import EmulatorHandle, start_emulator

T = TypeVar("T")
_ids = itertools.count()
TIMEOUT = 20.0

#: Blocks until the file named by its argument exists (a task that waits for the test).
WAIT_FOR = "while [ ! -e {0} ]; do sleep 0.02; done"
#: A node's shared directory, as a task's command line names it.
SHARED = "$AZ_BATCH_NODE_SHARED_DIR"


def sh(script: str) -> str:
    """A command line that runs ``script`` under /bin/sh (Batch runs no shell itself)."""
    return "/bin/sh -c " + _quote(script)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def wait(check: Callable[[], T | None], what: str, timeout: float = TIMEOUT) -> T:
    """Poll ``check`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@dataclass
class Bench:
    """One engine emulator, its client and where its nodes live on disk."""

    emulator: EmulatorHandle
    client: BatchClient
    node_root: Path

    @classmethod
    def of(cls, emulator: EmulatorHandle) -> Bench:
        credential = AzureNamedKeyCredential(emulator.account, emulator.key)
        client = BatchClient(emulator.endpoint, credential)
        assert emulator.node_root is not None
        return cls(emulator, client, Path(emulator.node_root))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex[:6]}-{next(_ids)}"

    # -- pools and nodes ---------------------------------------------------------

    def pool(self, nodes: int = 1, slots: int = 1) -> str:
        pool_id = self.new_id("pool")
        self.client.create_pool(
            m.BatchPoolCreateOptions(
                id=pool_id,
                vm_size="standard_d2s_v3",
                target_dedicated_nodes=nodes,
                task_slots_per_node=slots,
            )
        )
        return pool_id

    def nodes(self, pool_id: str) -> list[m.BatchNode]:
        return sorted(self.client.list_nodes(pool_id), key=lambda n: str(n.id))

    def node_dir(self, pool_id: str, node_id: str) -> Path:
        return self.node_root / pool_id.lower() / node_id

    def task_dir(self, pool_id: str, node_id: str, job_id: str, task_id: str) -> Path:
        return self.node_dir(pool_id, node_id) / "workitems" / job_id / "job-1" / task_id

    def reboot(self, pool_id: str, node_id: str, option: str = "requeue") -> None:
        options = m._models.BatchNodeRebootOptions(node_reboot_kind=option)
        self.client.begin_reboot_node(pool_id, node_id, options)

    def reimage(self, pool_id: str, node_id: str) -> None:
        options = m._models.BatchNodeReimageOptions(node_reimage_option="requeue")
        self.client.begin_reimage_node(pool_id, node_id, options)

    def wait_node(self, pool_id: str, node_id: str, state: str) -> m.BatchNode:
        return wait(
            lambda: _if(self.client.get_node(pool_id, node_id), lambda n: n.state == state),
            f"node {node_id[:12]} {state}",
        )

    # -- jobs and tasks ----------------------------------------------------------

    def job(
        self,
        pool_id: str,
        *,
        prep: str | None = None,
        release: str | None = None,
        prep_options: dict[str, Any] | None = None,
        release_options: dict[str, Any] | None = None,
        **options: Any,
    ) -> str:
        job_id = self.new_id("job")
        if prep is not None:
            options["job_preparation_task"] = m.BatchJobPreparationTask(
                command_line=prep, **(prep_options or {})
            )
        if release is not None:
            options["job_release_task"] = m.BatchJobReleaseTask(
                command_line=release, **(release_options or {})
            )
        self.client.create_job(
            m.BatchJobCreateOptions(
                id=job_id, pool_info=m.BatchPoolInfo(pool_id=pool_id), **options
            )
        )
        return job_id

    def task(self, job_id: str, task_id: str, command_line: str, **options: Any) -> str:
        self.client.create_task(
            job_id, m.BatchTaskCreateOptions(id=task_id, command_line=command_line, **options)
        )
        return task_id

    def wait_task(self, job_id: str, task_id: str, state: str = "completed") -> m.BatchTask:
        return wait(
            lambda: _if(self.client.get_task(job_id, task_id), lambda t: t.state == state),
            f"task {task_id} {state}",
        )

    def wait_job(self, job_id: str, state: str) -> m.BatchJob:
        return wait(
            lambda: _if(self.client.get_job(job_id), lambda j: j.state == state),
            f"job {job_id} {state}",
        )

    def wait_gone(self, job_id: str) -> None:
        wait(lambda: job_id not in {j.id for j in self.client.list_jobs()}, f"job {job_id} gone")

    def terminate(self, job_id: str, reason: str = "test") -> None:
        options = m._models.BatchJobTerminateOptions(termination_reason=reason)
        self.client.begin_terminate_job(job_id, options)

    def delete(self, job_id: str) -> None:
        self.client.begin_delete_job(job_id)

    def statuses(self, job_id: str) -> dict[str, m.BatchJobPreparationAndReleaseTaskStatus]:
        """Preparation/release status per node id."""
        return {
            str(s.node_id): s
            for s in self.client.list_job_preparation_and_release_task_status(job_id)
        }

    def release_state(self, job_id: str, node_id: str) -> str | None:
        status = self.statuses(job_id).get(node_id)
        info = None if status is None else status.job_release_task_execution_info
        return None if info is None else info.state

    def wait_release(self, job_id: str, node_id: str, state: str) -> None:
        wait(lambda: self.release_state(job_id, node_id) == state, f"release {state}")


def _if(value: T, predicate: Callable[[T], bool]) -> T | None:
    return value if predicate(value) else None


@contextmanager
def flag_file(directory: Path, name: str) -> Iterator[Path]:
    """A path a task waits for; the test creates it to let the task finish."""
    path = directory / name
    try:
        yield path
    finally:
        directory.mkdir(parents=True, exist_ok=True)
        path.touch()


def start_on_disk(data_dir: Path, node_root: Path) -> EmulatorHandle:
    """A one-node, one-slot process-engine emulator that a restart on ``data_dir`` resumes."""
    return start_emulator(data_dir=data_dir, nodes=1, slots=1, node_root=node_root)


def alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def pids_in(path: Path) -> list[int]:
    """The process ids tasks appended to ``path`` (none if it does not exist yet)."""
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def only_node(bench: Bench) -> str:
    """The id of the default pool's only node."""
    return str(bench.nodes("default")[0].id)


def release_running(handle: EmulatorHandle) -> tuple[str, str, Path]:
    """A terminated job whose Job Release task runs on the only node, writing its pid to
    ``shared/release-pids`` and waiting for ``shared/go``: job id, node id, shared dir."""
    release = sh(f'echo $$ >> "{SHARED}/release-pids"; ' + WAIT_FOR.format(f'"{SHARED}/go"'))
    bench = Bench.of(handle)
    job_id = bench.job("default", prep="/bin/true", release=release)
    bench.task(job_id, "t", "/bin/true")
    bench.wait_task(job_id, "t")
    node_id = only_node(bench)
    shared = bench.node_dir("default", node_id) / "shared"
    bench.terminate(job_id)
    wait(lambda: pids_in(shared / "release-pids"), "release started")
    return job_id, node_id, shared
