"""Secrets audit under faults: the account key and a secret environment value appear
nowhere in the state files, the CLI's output, the provider's log lines (engine
diagnostics) or the emulator's logs (at debug level), even when requests fail and are
retried.

With Pulumi's verbose logging (``-v=9 --logtostderr --logflow``) the engine itself logs
every property it marshals over gRPC, the inner value of a secret included (its
``MarshalProperties`` / ``UnmarshalProperties`` log ``<key>=<value>`` at level 9 for
the ``{sig, value}`` object a secret travels as). Those engine lines are the only
place a plaintext may appear: any other line (the provider's, the language host's, the
CLI's display), any line below level 9 and the state files stay clean; and an account
key given by the environment (``AZURE_BATCH_ACCESS_KEY``), never to the engine,
appears in no line at all.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from pulumi import automation as auto

from batch_emulator.testing import READY_PREFIX, EmulatorHandle, start_emulator
from pulumi_env import pulumi_environment
from tests.support.job_stacks import BATCH_JOB_PROGRAM
from tests.support.pulumi_stack import local_stack, state_texts
from tests.support.reliability import batch_client, faults_snapshot, record

SECRET = "s3cr3t-reliability-7c1e"
SPEC = {
    "id": "audited",
    "pool_info": {"pool_id": "default"},
    "job_preparation_task": {"command_line": "/bin/true"},
    "job_release_task": {"command_line": "/bin/true"},
    "tasks": [{"id": "t0", "command_line": "/bin/true"}],
}
VERBOSE = ("-v=9", "--logtostderr", "--logflow")
#: The engine's own level-9 trace of a property marshalled to or from a plugin over gRPC
#: (pulumi sdk/go/common/resource/plugin/rpc.go), one JSON log line each.
ENGINE_RPC_TRACE = re.compile(
    r'^\{"time":"[^"]*","level":"INFO","msg":"(Un)?[Mm]arshaling property for RPC\[.*,"v":9\}$'
)
_CLI_TIMEOUT = 300
PROGRAMS = Path(__file__).parent / "programs"


def test_no_key_or_secret_anywhere_under_faults(tmp_path: Path) -> None:
    with start_emulator(engine="instant", extra_args=["--log-level", "debug"]) as emulator:
        stack = _audited_stack(tmp_path, emulator, key_in_config=True)
        texts: list[str] = []
        events: list[auto.EngineEvent] = []
        emulator.set_faults(rate=0.3, kinds=["500", "503", "429", "reset-after"], seed=3)
        texts.append(stack.preview(on_event=events.append).stdout)
        up = stack.up(on_event=events.append)
        texts += [up.stdout, up.stderr]
        refresh = stack.refresh(on_event=events.append)
        texts += [refresh.stdout, refresh.stderr]
        injected = faults_snapshot(emulator)["injected"]
        emulator.set_faults(rate=0)
        _assert_secret_reached_batch(emulator)
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
    stored = state_texts(tmp_path / "pulumi")
    assert sum("azure-batch-jobs:index:BatchJob" in text for text in stored) > 0
    texts += stored
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


def _verbose_cli(
    stack: auto.Stack,
    state_dir: Path,
    command: list[str],
    extra_env: Mapping[str, str] | None = None,
) -> list[str]:
    """Run the real CLI with verbose logging to stderr, flowed to the plugins; its lines."""
    env = {**pulumi_environment(state_dir), **(extra_env or {})}
    done = subprocess.run(
        ["pulumi", *command, "--non-interactive", "--stack", "test", *VERBOSE],
        cwd=stack.workspace.work_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=_CLI_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return (done.stdout + done.stderr).splitlines()


def _assert_secret_reached_batch(emulator: EmulatorHandle) -> None:
    """The secret is withheld from logs and state, not from the job itself."""
    release = batch_client(emulator).get_job("audited").job_release_task
    assert release is not None
    env = {e.name: e.value for e in release.environment_settings or []}
    assert env["RELEASE_TOKEN"] == SECRET, "the secret reached Batch"


def _audited_stack(tmp_path: Path, emulator: EmulatorHandle, *, key_in_config: bool) -> auto.Stack:
    secrets = {"release_secret": SECRET}
    if key_in_config:
        secrets["azure-batch-jobs:accountKey"] = emulator.key
    return local_stack(
        BATCH_JOB_PROGRAM,
        tmp_path / "pulumi",
        config={
            "job": json.dumps(SPEC),
            "settings": "{}",
            "azure-batch-jobs:endpoint": emulator.endpoint,
            "azure-batch-jobs:accountName": emulator.account,
        },
        secrets=secrets,
    )


def test_verbose_logs_show_no_key_or_secret_outside_the_engines_rpc_trace(
    tmp_path: Path,
) -> None:
    state_dir = tmp_path / "pulumi"
    with start_emulator(engine="instant") as emulator:
        stack = _audited_stack(tmp_path, emulator, key_in_config=True)
        lines: list[str] = []
        lines += _verbose_cli(stack, state_dir, ["preview"])
        emulator.set_faults(rate=0.3, kinds=["500", "503", "429", "reset-after"], seed=3)
        for command in (["up", "--yes", "--skip-preview"], ["refresh", "--yes", "--skip-preview"]):
            lines += _verbose_cli(stack, state_dir, command)
        injected = faults_snapshot(emulator)["injected"]
        emulator.set_faults(rate=0)
        _assert_secret_reached_batch(emulator)
        lines += _verbose_cli(stack, state_dir, ["destroy", "--yes", "--skip-preview"])
        key = emulator.key
    # The engine's trace and, flowed by --logflow, the language host plugin's own log.
    assert sum(1 for line in lines if ENGINE_RPC_TRACE.match(line)) > 100
    assert any("language host" in line for line in lines), "plugin logs were captured"
    assert injected > 0
    leaking = [line for line in lines if SECRET in line or key in line]
    outside = [line[:300] for line in leaking if not ENGINE_RPC_TRACE.match(line)]
    assert outside == []
    assert all(SECRET not in t and key not in t for t in state_texts(state_dir))
    record(
        "secrets_audit_verbose",
        lines_scanned=len(lines),
        faults_injected=injected,
        engine_rpc_trace_lines_with_plaintext=len(leaking),
        leaks_outside_engine_trace=0,
    )


def test_verbose_logs_never_show_a_key_given_by_the_environment(tmp_path: Path) -> None:
    state_dir = tmp_path / "pulumi"
    with start_emulator(engine="instant") as emulator:
        stack = _audited_stack(tmp_path, emulator, key_in_config=False)
        from_env = {"AZURE_BATCH_ACCESS_KEY": emulator.key}
        lines = _verbose_cli(stack, state_dir, ["up", "--yes", "--skip-preview"], from_env)
        assert batch_client(emulator).get_job("audited").id == "audited"
        lines += _verbose_cli(stack, state_dir, ["destroy", "--yes", "--skip-preview"], from_env)
        key = emulator.key
    assert len(lines) > 1000
    assert [line[:300] for line in lines if key in line] == []
    secret_lines = [line for line in lines if SECRET in line]
    assert secret_lines and all(ENGINE_RPC_TRACE.match(line) for line in secret_lines)
    assert all(SECRET not in t and key not in t for t in state_texts(state_dir))
    record("secrets_audit_verbose_key_from_environment", lines_scanned=len(lines), key_leaks=0)


#: Programs in other languages that pass the key as a secret input: name -> job id.
LANGUAGE_PROGRAMS = {
    "secret_input_yaml": "audited-yaml",
    "secret_input_typescript": "audited-typescript",
}


@pytest.mark.parametrize("program", sorted(LANGUAGE_PROGRAMS))
def test_a_key_given_as_a_secret_input_in_yaml_or_typescript_stays_secret(
    tmp_path: Path, program: str
) -> None:
    state_dir = tmp_path / "pulumi"
    with start_emulator(engine="instant") as emulator:
        stack = local_stack(
            PROGRAMS / program,
            state_dir,
            config={"endpoint": emulator.endpoint, "accountName": emulator.account},
            secrets={"accountKey": emulator.key},
            extra_env={"AZURE_BATCH_ACCESS_KEY": ""},
        )
        lines = _verbose_cli(stack, state_dir, ["up", "--yes", "--skip-preview"])
        job_id = LANGUAGE_PROGRAMS[program]
        assert batch_client(emulator).get_job(job_id).id == job_id
        outputs = stack.outputs()
        assert outputs["echoedKey"].secret
        lines += _verbose_cli(stack, state_dir, ["stack", "output", "--json"])
        lines += _verbose_cli(stack, state_dir, ["destroy", "--yes", "--skip-preview"])
        key = emulator.key
    assert sum(1 for line in lines if ENGINE_RPC_TRACE.match(line)) > 10
    outside = [line[:300] for line in lines if key in line and not ENGINE_RPC_TRACE.match(line)]
    assert outside == []
    assert all(key not in text for text in state_texts(state_dir))
    record(f"secrets_audit_{program}", lines_scanned=len(lines), leaks_outside_engine_trace=0)
