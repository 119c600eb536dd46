"""The Batch directory layout of an emulated node, and the environment tasks see.

Each node's ``AZ_BATCH_NODE_ROOT_DIR`` is ``<node root>/<pool id>/<node id>`` with
``shared``, ``startup``, ``fsmounts`` and ``workitems``; a task of a job lives in
``workitems/<job id>/job-1/<task id>`` (its ``stdout.txt`` and ``stderr.txt``) with the
working directory ``wd`` below it, as on a Linux Batch node.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["NodeLayout", "task_environment"]

_NODE_DIRS = ("shared", "startup", "fsmounts", "workitems")
#: Host variables a task inherits; everything else comes from Batch and the job/task.
_INHERITED = ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR")


@dataclass(frozen=True)
class NodeLayout:
    """Paths of one node."""

    root: Path

    @classmethod
    def of(cls, node_root: Path, pool_id: str, node_id: str) -> NodeLayout:
        return cls(node_root / pool_id.lower() / node_id)

    def ensure(self) -> None:
        for name in _NODE_DIRS:
            (self.root / name).mkdir(parents=True, exist_ok=True)

    @property
    def shared(self) -> Path:
        return self.root / "shared"

    @property
    def startup(self) -> Path:
        return self.root / "startup"

    def job_dir(self, job_id: str) -> Path:
        return self.root / "workitems" / job_id / "job-1"

    def task_dir(self, job_id: str, task_id: str) -> Path:
        return self.job_dir(job_id) / task_id

    def remove_job(self, job_id: str) -> None:
        shutil.rmtree(self.root / "workitems" / job_id, ignore_errors=True)

    def remove(self) -> None:
        """The node left its pool: its disk goes."""
        shutil.rmtree(self.root, ignore_errors=True)

    def wipe(self) -> None:
        """A reimage: the node's disk starts empty again."""
        self.remove()
        self.ensure()


def task_user(job_id: str, task_id: str, identity: dict[str, Any] | None) -> tuple[str, str]:
    """(user name, identity label) as Batch reports them; default: non-admin, per task."""
    identity = identity or {}
    if "username" in identity:
        return str(identity["username"]), str(identity["username"])
    auto = identity.get("autoUser") or {}
    scope = str(auto.get("scope", "task")).lower()
    admin = str(auto.get("elevationLevel", "nonadmin")).lower() == "admin"
    label = ("Pool" if scope == "pool" else "Task") + ("Admin" if admin else "NonAdmin")
    if scope == "pool":
        return f"_azbatch{'admin' if admin else ''}pool", label
    digest = hashlib.sha256(f"{job_id}/{task_id}".lower().encode()).hexdigest()[:12]
    return f"_azbatchtask_{digest}", label


def task_environment(
    layout: NodeLayout,
    *,
    account: str,
    account_url: str,
    pool_id: str,
    node_id: str,
    is_dedicated: bool,
    job: dict[str, Any],
    task_id: str,
    task: dict[str, Any],
) -> dict[str, str]:
    """Host basics, then ``AZ_BATCH_*``, then the job's common settings, then the task's."""
    env = {name: os.environ[name] for name in _INHERITED if name in os.environ}
    task_dir = layout.task_dir(job["id"], task_id)
    user, label = task_user(job["id"], task_id, task.get("userIdentity"))
    env.update(
        {
            "AZ_BATCH_ACCOUNT_NAME": account,
            "AZ_BATCH_ACCOUNT_URL": account_url,
            "AZ_BATCH_POOL_ID": pool_id,
            "AZ_BATCH_NODE_ID": node_id,
            "AZ_BATCH_NODE_IS_DEDICATED": "true" if is_dedicated else "false",
            "AZ_BATCH_NODE_ROOT_DIR": str(layout.root),
            "AZ_BATCH_NODE_SHARED_DIR": str(layout.shared),
            "AZ_BATCH_NODE_STARTUP_DIR": str(layout.startup),
            "AZ_BATCH_NODE_MOUNTS_DIR": str(layout.root / "fsmounts"),
            "AZ_BATCH_JOB_ID": str(job["id"]),
            "AZ_BATCH_TASK_ID": task_id,
            "AZ_BATCH_TASK_DIR": str(task_dir),
            "AZ_BATCH_TASK_WORKING_DIR": str(task_dir / "wd"),
            "AZ_BATCH_TASK_USER": user,
            "AZ_BATCH_TASK_USER_IDENTITY": label,
        }
    )
    prep = job.get("jobPreparationTask")
    if prep is not None:
        prep_dir = layout.task_dir(job["id"], str(prep["id"]))
        env["AZ_BATCH_JOB_PREP_DIR"] = str(prep_dir)
        env["AZ_BATCH_JOB_PREP_WORKING_DIR"] = str(prep_dir / "wd")
    for setting in [
        *job.get("commonEnvironmentSettings", []),
        *task.get("environmentSettings", []),
    ]:
        env[str(setting["name"])] = str(setting.get("value", ""))
    return env
