"""The emulated nodes on this machine: their directories and the processes run there."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from batch_emulator.engine._clock import EngineClock, limit
from batch_emulator.engine._layout import NodeLayout, task_environment
from batch_emulator.engine._process import ProcessTable, Run
from batch_emulator.engine._runner import Attempt, Outcome, run_attempt
from batch_emulator.engine._timers import Timers

__all__ = ["Nodes"]


class Nodes:
    """Every node's ``AZ_BATCH_NODE_ROOT_DIR`` under ``root``, and the runs there.

    Creating it kills what an emulator killed earlier left running under ``root``.
    """

    def __init__(self, root: Path, clock: EngineClock, timers: Timers, account: str) -> None:
        self.root = root
        self.account = account
        self.account_url = ""
        self._clock = clock
        self._timers = timers
        self.processes = ProcessTable(root / ".engine-process-groups")

    def layout(self, pool_id: str, node_id: str) -> NodeLayout:
        return NodeLayout.of(self.root, pool_id, node_id)

    def attempt(
        self,
        run: Run,
        job: dict[str, Any],
        spec: dict[str, Any],
        node: dict[str, Any],
        wall: timedelta | None,
        started: datetime | None = None,
    ) -> Outcome:
        """One run of ``spec`` (a task, preparation or release task) on ``node``, stopped
        ``wall`` after ``started`` (default: now)."""
        layout = self.layout(run.pool_id, run.node_id)
        layout.ensure()
        env = task_environment(
            layout,
            account=self.account,
            account_url=self.account_url,
            pool_id=run.pool_id,
            node_id=run.node_id,
            is_dedicated=bool(node.get("isDedicated", True)),
            job=job,
            task_id=run.task_id,
            task=spec,
        )
        attempt = Attempt(
            task_dir=layout.task_dir(job["id"], run.task_id),
            command_line=str(spec["commandLine"]),
            env=env,
            resource_files=list(spec.get("resourceFiles", [])),
            container_settings=spec.get("containerSettings"),
            deadline=None if wall is None else (started or self._clock.now()) + wall,
        )
        return run_attempt(run, attempt, self.processes, self._timers)

    def retain(self, path: Path, retention: object, since: datetime | None = None) -> None:
        """Remove a task directory once its retention time (default 7 days) has passed."""
        keep = limit(retention if retention is not None else "P7D")
        if keep is None:
            return
        start = self._clock.now() if since is None else since
        self._timers.at(start + keep, lambda: shutil.rmtree(path, ignore_errors=True))

    def remove_job(self, job_id: str) -> None:
        for pool_dir in self.root.iterdir() if self.root.exists() else ():
            for node_dir in pool_dir.iterdir() if pool_dir.is_dir() else ():
                self.layout(pool_dir.name, node_dir.name).remove_job(job_id)

    def remove_pool(self, pool_id: str) -> None:
        shutil.rmtree(self.root / pool_id.lower(), ignore_errors=True)
