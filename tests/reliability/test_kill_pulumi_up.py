"""``pulumi up`` killed (SIGKILL, the CLI and its plugins) at random points: ``pulumi
refresh`` (clearing pending creates, as Pulumi documents for interrupted updates) and
``pulumi up`` converge every time, with no orphan and no lost job."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import time
from pathlib import Path

from azure.batch.models import BatchJob
from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle
from pulumi_env import pulumi_environment
from tests.support.reliability import SOAK, compare, faults_snapshot, jobs_stack, record

_UP_TIMEOUT = 180.0


def _up_killed_after(stack: auto.Stack, state_dir: Path, emulator: EmulatorHandle, k: int) -> bool:
    """Run the real ``pulumi up`` and SIGKILL its process group once the emulator has
    seen ``k`` Batch requests; True if it was killed, False if it finished first."""
    env = pulumi_environment(state_dir)
    process = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive", "--stack", "test"],
        cwd=stack.workspace.work_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + _UP_TIMEOUT
    try:
        while process.poll() is None:
            if faults_snapshot(emulator)["eligible_requests"] >= k:
                _kill_session(process.pid)
                process.wait(10)
                return True
            if time.monotonic() > deadline:
                raise AssertionError(f"pulumi up did not reach request {k} in time")
            time.sleep(0.005)  # polling the emulator's counter, bounded by the deadline
        return False
    finally:
        _kill_session(process.pid)
        if process.poll() is None:
            process.wait(10)


def _kill_session(sid: int) -> None:
    """SIGKILL every process of the session ``pulumi up`` started: the CLI and its plugins,
    which the CLI puts in process groups of their own (so ``killpg`` alone orphans them)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # fields after "(comm)": state, ppid, pgrp, session
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(stat.parent.name), signal.SIGKILL)


def _repair_torn_attrs(state_dir: Path) -> int:
    """Remove attribute side files the kill left empty: the file backend (gocloud.dev
    fileblob) writes ``<stack>.json.attrs`` non-atomically, and an empty one makes every
    later command fail with "failed to load checkpoint: EOF". A missing one is fine."""
    torn = [
        p
        for p in (state_dir / "backend" / ".pulumi").rglob("*.attrs")
        if p.is_file() and p.stat().st_size == 0
    ]
    for path in torn:
        path.unlink()
    return len(torn)


def test_up_killed_at_random_points_recovers_with_refresh_and_up(
    tmp_path: Path, instant_emulator: EmulatorHandle
) -> None:
    emulator = instant_emulator
    count, rounds = (8, 20) if SOAK else (4, 4)
    rng = random.Random(2026)  # noqa: S311 - test randomness, reproducible
    stack = jobs_stack(tmp_path, emulator, count, "kill0")
    stack.up()
    killed = recovered = repairs = 0
    points = []
    for round_ in range(1, rounds + 1):
        # A new prefix replaces every job (delete-before-replace: fixed ids), so kill
        # points fall in deletes, creates and the waits between them.
        prefix = f"kill{round_}"
        stack.set_config("prefix", auto.ConfigValue(prefix))
        k = rng.randint(1, 4 * count)
        points.append(k)
        # A counting-only fault config: the counter of Batch requests the kill waits on.
        emulator.set_faults(rate=1e-9, kinds=["slow"], slow_seconds=0)
        was_killed = _up_killed_after(stack, tmp_path / "pulumi", emulator, k)
        killed += was_killed
        emulator.set_faults(rate=0)
        if was_killed:
            repairs += _repair_torn_attrs(tmp_path / "pulumi")
            # The killed CLI left its lock: release it as Pulumi documents.
            stack.cancel()
        stack.refresh(clear_pending_creates=True)
        stack.up()
        figures = compare(stack, emulator, prefix)
        leftovers = [j.id for j in _all_jobs(emulator) if not str(j.id).startswith(prefix)]
        assert figures["jobs_in_service"] == count, (k, figures)
        assert figures["duplicates"] == figures["orphans"] == figures["lost"] == 0, (k, figures)
        assert leftovers == [], (k, leftovers)
        recovered += 1
    stack.destroy()
    record(
        "kill_pulumi_up",
        jobs=count,
        rounds=rounds,
        kill_points=points,
        killed=killed,
        recovered=recovered,
        torn_backend_attrs_repaired=repairs,
        orphans=0,
        lost=0,
    )


def _all_jobs(emulator: EmulatorHandle) -> list[BatchJob]:
    from tests.support.reliability import batch_client

    return list(batch_client(emulator).list_jobs())
