"""The job every benchmark stack declares: preparation + release task and M tasks."""

from __future__ import annotations

from typing import Any


def job_spec(job_id: str, tasks: int, release_seconds: float) -> dict[str, Any]:
    """A job on pool ``default`` whose release task sleeps ``release_seconds``."""
    release = f"/bin/sh -c 'sleep {release_seconds:g}'" if release_seconds else "/bin/true"
    return {
        "id": job_id,
        "pool_info": {"pool_id": "default"},
        "priority": 10,
        "job_preparation_task": {"command_line": "/bin/true"},
        "job_release_task": {"command_line": release, "max_wall_clock_time": "PT5M"},
        "tasks": [{"id": f"t{i}", "command_line": "/bin/true"} for i in range(tasks)],
    }
