"""Secrets audit under faults: the account key and a secret environment value appear
nowhere in the state files, the CLI's output, the provider's log lines (engine
diagnostics) or the emulator's logs (at debug level), even when requests fail and are
retried (DESIGN §3.4)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from pulumi import automation as auto

from tests.e2e.conftest import BATCH_JOB_PROGRAM
from tests.reliability.conftest import batch_client
from tests.reliability.support import faults_snapshot, record, set_faults
from tests.support.emulator import READY_PREFIX, start_emulator
from tests.support.pulumi_stack import local_stack

SECRET = "s3cr3t-reliability-7c1e"


def test_no_key_or_secret_anywhere_under_faults(tmp_path: Path) -> None:
    with start_emulator(extra_args=["--engine", "instant", "--log-level", "debug"]) as emulator:
        spec = {
            "id": "audited",
            "pool_info": {"pool_id": "default"},
            "job_preparation_task": {"command_line": "/bin/true"},
            "job_release_task": {"command_line": "/bin/true"},
            "tasks": [{"id": "t0", "command_line": "/bin/true"}],
        }
        stack = local_stack(
            BATCH_JOB_PROGRAM,
            tmp_path / "pulumi",
            config={
                "job": json.dumps(spec),
                "settings": "{}",
                "azure-batch-jobs:endpoint": emulator.endpoint,
                "azure-batch-jobs:accountName": emulator.account,
            },
            secrets={"azure-batch-jobs:accountKey": emulator.key, "release_secret": SECRET},
        )
        texts: list[str] = []
        events: list[auto.EngineEvent] = []
        set_faults(emulator, rate=0.3, kinds=["500", "503", "429", "reset-after"], seed=3)
        texts.append(stack.preview(on_event=events.append).stdout)
        up = stack.up(on_event=events.append)
        texts += [up.stdout, up.stderr]
        refresh = stack.refresh(on_event=events.append)
        texts += [refresh.stdout, refresh.stderr]
        injected = faults_snapshot(emulator)["injected"]
        set_faults(emulator, rate=0)
        release = batch_client(emulator).get_job("audited").job_release_task
        assert release is not None
        env = {e.name: e.value for e in release.environment_settings or []}
        assert env["RELEASE_TOKEN"] == SECRET, "the secret reached Batch"
        destroy = stack.destroy(on_event=events.append)
        texts += [destroy.stdout, destroy.stderr]
        # Provider log lines: every diagnostic the engine reported.
        texts += [e.diagnostic_event.message for e in events if e.diagnostic_event]
    # The emulator's output minus its start-up announcement (which prints the key once,
    # by design, for the person or program that started it): its logs.
    announcement = ("#", "export ", READY_PREFIX)
    logs = [line for line in emulator.output if not line.startswith(announcement)]
    assert len(logs) > 0, "the emulator logged at debug level"
    texts.append("".join(logs))
    state_files = 0
    for path in (tmp_path / "pulumi").rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            text = data.decode("utf-8", "replace")
            texts.append(text)
            state_files += "azure-batch-jobs:BatchJob" in text
    assert state_files > 0
    leaks = [
        (i, needle[:4])
        for i, text in enumerate(texts)
        for needle in (SECRET, emulator.key)
        if needle in text
    ]
    assert leaks == []
    record(
        "secrets_audit",
        texts_scanned=len(texts),
        diagnostics=sum(1 for e in events if e.diagnostic_event),
        faults_injected=injected,
        leaks=0,
    )
