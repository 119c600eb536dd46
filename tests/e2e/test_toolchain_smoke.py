"""The real Pulumi CLI, language host and SDK work together offline (issue: foundation)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pulumi import automation as auto

from pulumi_env import pulumi_bin_dir
from pulumi_toolchain import sdk_version
from tests.support.pulumi_stack import local_stack, resources_of_type, state_file

PROGRAM = Path(__file__).parent / "programs" / "smoke"
NOTE_TYPE = "pulumi-python:dynamic:Resource"


def test_provisioned_cli_reports_the_pinned_sdk_version() -> None:
    out = subprocess.run(
        [str(pulumi_bin_dir() / "pulumi"), "version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == f"v{sdk_version()}"


def test_preview_up_refresh_destroy_of_a_dynamic_resource(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    stack = local_stack(PROGRAM, tmp_path / "pulumi", config={"path": str(note), "text": "hello"})

    preview = stack.preview()
    assert preview.change_summary == {"create": 2}
    assert not note.exists(), "preview must not create anything"

    up = stack.up()
    assert up.summary.resource_changes == {"create": 2}
    assert up.outputs["length"].value == 5
    assert up.outputs["text"].value == "hello"
    assert note.read_text() == "hello"
    [saved] = resources_of_type(state_file(tmp_path / "pulumi", "smoke"), NOTE_TYPE)
    assert saved["outputs"]["text"] == "hello"
    assert saved["outputs"]["path"] == str(note)
    assert "__provider" in saved["outputs"]

    stack.set_config("text", auto.ConfigValue("hello, world"))
    changed = stack.up()
    assert changed.summary.resource_changes == {"same": 1, "update": 1}
    assert changed.outputs["length"].value == 12

    note.write_text("edited out of band")
    refreshed = stack.refresh()
    assert refreshed.summary.resource_changes == {"update": 1, "same": 1}
    [saved] = resources_of_type(state_file(tmp_path / "pulumi", "smoke"), NOTE_TYPE)
    assert saved["outputs"]["text"] == "edited out of band"

    destroyed = stack.destroy()
    assert destroyed.summary.resource_changes == {"delete": 2}
    assert not note.exists()
    assert resources_of_type(state_file(tmp_path / "pulumi", "smoke"), NOTE_TYPE) == []
