"""The emulator SIGKILLed mid-run at random points: restarted on its data directory it
has lost nothing it confirmed, and a Job Release task the kill interrupted runs again,
as the seed says for a node reboot."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from azure.batch import BatchClient
from azure.batch.models import BatchJobCreateOptions, BatchTaskCreateOptions, BatchTaskGroup
from azure.core.credentials import AzureNamedKeyCredential
from azure.core.exceptions import AzureError

from batch_emulator.testing import EmulatorHandle, start_emulator
from tests.support.engine import Bench, alive, pids_in, release_running, start_on_disk, wait
from tests.support.reliability import SOAK, record

_CONFIRM_TIMEOUT = 60.0


def _writer(
    handle: EmulatorHandle, prefix: str, confirmed: list[str], stop: threading.Event
) -> None:
    """Add jobs with 5 tasks each until the emulator dies; record what it confirmed."""
    credential = AzureNamedKeyCredential(handle.account, handle.key)
    client = BatchClient(handle.endpoint, credential, retry_total=0, connection_timeout=5)
    i = 0
    while not stop.is_set():
        job_id = f"{prefix}-{i}"
        try:
            client.create_job(
                BatchJobCreateOptions({"id": job_id, "poolInfo": {"poolId": "default"}})
            )
            tasks = [
                BatchTaskCreateOptions({"id": f"t{k}", "commandLine": "/bin/true"})
                for k in range(5)
            ]
            client.create_task_collection(job_id, BatchTaskGroup(task_values=tasks))
        except AzureError:
            return
        confirmed.append(job_id)
        i += 1


def test_confirmed_writes_survive_sigkill(tmp_path: Path) -> None:
    rounds = 20 if SOAK else 3
    rng = random.Random(4)  # noqa: S311 - reproducible test randomness
    data = tmp_path / "data"
    all_confirmed: list[str] = []
    kill_points = []
    for round_ in range(rounds):
        handle = start_emulator(data_dir=data, engine="instant")
        # Everything confirmed before any earlier kill is still there.
        client = BatchClient(handle.endpoint, AzureNamedKeyCredential(handle.account, handle.key))
        present = {str(j.id) for j in client.list_jobs()}
        missing = [j for j in all_confirmed if j not in present]
        assert missing == [], f"confirmed jobs lost after a SIGKILL: {missing}"
        for job_id in all_confirmed[-3:]:
            assert len(list(client.list_tasks(job_id))) == 5
        confirmed: list[str] = []
        stop = threading.Event()
        writer = threading.Thread(target=_writer, args=(handle, f"r{round_}", confirmed, stop))
        writer.start()
        k = rng.randint(1, 30)
        kill_points.append(k)

        def enough(c: list[str] = confirmed, n: int = k) -> bool:
            return len(c) >= n

        wait(enough, f"{k} confirmed jobs", timeout=_CONFIRM_TIMEOUT)
        handle.process.kill()  # SIGKILL, mid-stream
        handle.process.wait(10)
        stop.set()
        writer.join(_CONFIRM_TIMEOUT)
        assert not writer.is_alive()
        all_confirmed += confirmed
    handle = start_emulator(data_dir=data, engine="instant")
    try:
        client = BatchClient(handle.endpoint, AzureNamedKeyCredential(handle.account, handle.key))
        present = {str(j.id) for j in client.list_jobs()}
        lost = [j for j in all_confirmed if j not in present]
    finally:
        handle.stop()
    assert lost == []
    record(
        "kill_emulator",
        rounds=rounds,
        kill_points=kill_points,
        confirmed_jobs=len(all_confirmed),
        lost=len(lost),
    )


def test_release_interrupted_by_sigkill_runs_again(tmp_path: Path) -> None:
    data, root = tmp_path / "data", tmp_path / "nodes"
    first = start_on_disk(data, root)
    try:
        job_id, node_id, shared = release_running(first)
    finally:
        first.process.kill()  # SIGKILL: no clean shutdown of the engine
        first.process.wait(10)
    [pid] = pids_in(shared / "release-pids")
    second = start_on_disk(data, root)
    try:
        wait(lambda: not alive(pid), "the interrupted release process to be gone")
        bench = Bench.of(second)
        assert bench.client.get_job(job_id).state == "terminating"
        wait(lambda: len(pids_in(shared / "release-pids")) == 2, "release runs again")
        (shared / "go").touch()
        bench.wait_job(job_id, "completed")
        assert bench.release_state(job_id, node_id) == "completed"
    finally:
        second.stop()
    record("kill_emulator_release", interrupted_releases=1, rerun=1, completed=1)
