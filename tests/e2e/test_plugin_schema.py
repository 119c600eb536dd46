"""The plugin serves its schema to the real CLI, which binds it (a schema Pulumi rejects
fails here) and gives back every resource, type and config variable."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pulumi_azure_batch_jobs.provider._schema import package_schema
from pulumi_env import current_venv, pulumi_bin_dir, pulumi_environment


def test_the_cli_reads_and_binds_the_plugins_schema(tmp_path: Path) -> None:
    plugin = current_venv() / "bin" / "pulumi-resource-azure-batch-jobs"
    result = subprocess.run(
        [str(pulumi_bin_dir() / "pulumi"), "package", "get-schema", str(plugin)],
        env=pulumi_environment(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout)
    expected = package_schema(served["version"])
    assert served["name"] == "azure-batch-jobs"
    assert set(served["resources"]) == set(expected["resources"])
    assert set(served["types"]) == set(expected["types"])
    assert set(served["config"]["variables"]) == {"endpoint", "accountName", "accountKey"}
