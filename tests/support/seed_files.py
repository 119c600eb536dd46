"""Run under PYTHONPATH=.venv/seed-sdk: the file API through the seed SDK (azure-batch 14).

Reads {"endpoint", "account", "key", "job", "task", "pool", "node"} on stdin (a completed
task whose ``stdout.txt`` holds ``hello`` and whose ``wd/out.txt`` exists), writes what the
14.x ``file`` operations answered on stdout.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any


def main() -> None:
    # The 14.x names, unknown to the type checker (which sees azure-batch 15).
    batch: Any = importlib.import_module("azure.batch")
    models: Any = importlib.import_module("azure.batch.models")
    auth: Any = importlib.import_module("azure.batch.batch_auth")
    if not batch.__version__.startswith("14."):
        raise SystemExit(f"expected azure-batch 14.x, got {batch.__version__}")
    ask = json.load(sys.stdin)
    credentials = auth.SharedKeyCredentials(ask["account"], ask["key"])
    client = batch.BatchServiceClient(credentials, batch_url=ask["endpoint"])
    files = client.file
    job, task, pool, node = ask["job"], ask["task"], ask["pool"], ask["node"]
    out: dict[str, Any] = {"version": batch.__version__}
    out["task_files"] = sorted(f.name for f in files.list_from_task(job, task, recursive=True))
    out["stdout"] = b"".join(files.get_from_task(job, task, "stdout.txt")).decode()
    ranged = models.FileGetFromTaskOptions(ocp_range="bytes=1-3")
    out["range"] = b"".join(
        files.get_from_task(job, task, "stdout.txt", file_get_from_task_options=ranged)
    ).decode()
    raw = files.get_properties_from_task(job, task, "stdout.txt", raw=True)
    out["properties"] = {
        name: raw.headers[name]
        for name in ("Content-Length", "ocp-batch-file-isdirectory", "ocp-batch-file-url")
    }
    files.delete_from_task(job, task, "wd/out.txt")
    out["after_delete"] = sorted(f.name for f in files.list_from_task(job, task, recursive=True))
    root = f"workitems/{job}/job-1/{task}/stdout.txt"
    out["node_files"] = sorted(f.name for f in files.list_from_compute_node(pool, node))
    out["node_stdout"] = b"".join(files.get_from_compute_node(pool, node, root)).decode()
    node_raw = files.get_properties_from_compute_node(pool, node, root, raw=True)
    out["node_length"] = node_raw.headers["Content-Length"]
    try:
        files.get_from_task(job, task, "../../x")
    except models.BatchErrorException as error:
        out["escape"] = error.error.code
    try:
        files.get_from_task(job, task, "missing.txt")
    except models.BatchErrorException as error:
        out["missing"] = error.error.code
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
