"""`pulumi preview` with plugin acquisition enabled attempts no download.

The language host asks the CLI for a resource plugin for every installed distribution
named ``pulumi-*`` that lacks a ``pulumi-plugin.json`` saying ``"resource": false``;
offline that becomes a failed download. Nothing in the project's environment may
trigger one.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.pulumi_stack import local_stack

PROGRAM = Path(__file__).parent / "programs" / "smoke"
DEAD_PROXY = "http://127.0.0.1:9"


def test_preview_attempts_no_plugin_download(tmp_path: Path) -> None:
    stack = local_stack(
        PROGRAM,
        tmp_path / "pulumi",
        config={"path": str(tmp_path / "note.txt"), "text": "x"},
        extra_env={
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "false",
            "HTTPS_PROXY": DEAD_PROXY,
            "HTTP_PROXY": DEAD_PROXY,
        },
    )
    result = stack.preview(log_to_std_err=True, log_verbosity=5)
    assert result.change_summary == {"create": 2}
    assert '"level":"INFO"' in result.stderr, "the engine's verbose log must be captured"
    downloads = [line for line in result.stderr.splitlines() if "downloading from" in line]
    assert downloads == []
