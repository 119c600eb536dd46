"""Job statistics (``$expand=stats``): counters the runtime keeps as tasks complete."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from batch_emulator.clock import format_duration, iso, parse_iso

__all__ = ["count_completion", "job_statistics", "schedule_statistics"]


def count_completion(job: dict[str, Any], task: dict[str, Any]) -> None:
    """Add a completed task to the job's hidden ``_stats`` counters."""
    stats = job.setdefault(
        "_stats", {"succeeded": 0, "failed": 0, "retries": 0, "wall": 0.0, "wait": 0.0}
    )
    info = task.get("executionInfo", {})
    stats["failed" if info.get("result") == "failure" else "succeeded"] += 1
    stats["retries"] += int(info.get("retryCount", 0))
    if "startTime" in info and "endTime" in info:
        start = parse_iso(str(info["startTime"]))
        stats["wall"] += max(0.0, (parse_iso(str(info["endTime"])) - start).total_seconds())
        stats["wait"] += max(0.0, (start - parse_iso(str(task["creationTime"]))).total_seconds())


def job_statistics(job: dict[str, Any], now: str | None = None) -> dict[str, Any]:
    """The ``BatchJobStatistics`` of a job. The emulator measures no CPU or I/O: zero."""
    stats = job.get("_stats", {})
    zero = format_duration(timedelta(0))
    return {
        "url": f"{job['url']}/stats",
        "startTime": job["creationTime"],
        "lastUpdateTime": now or job.get("lastModified") or iso(parse_iso(job["creationTime"])),
        "userCPUTime": zero,
        "kernelCPUTime": zero,
        "wallClockTime": format_duration(timedelta(seconds=stats.get("wall", 0.0))),
        "readIOps": "0",
        "writeIOps": "0",
        "readIOGiB": 0.0,
        "writeIOGiB": 0.0,
        "numSucceededTasks": str(stats.get("succeeded", 0)),
        "numFailedTasks": str(stats.get("failed", 0)),
        "numTaskRetries": str(stats.get("retries", 0)),
        "waitTime": format_duration(timedelta(seconds=stats.get("wait", 0.0))),
    }


def schedule_statistics(
    schedule: dict[str, Any], jobs: list[dict[str, Any]], now: str
) -> dict[str, Any]:
    """The ``BatchJobScheduleStatistics`` of a schedule: the sums over its jobs' counters."""
    total = {"succeeded": 0, "failed": 0, "retries": 0, "wall": 0.0, "wait": 0.0}
    for job in jobs:
        for name, value in job.get("_stats", {}).items():
            total[name] += value
    return job_statistics({**schedule, "_stats": total}, now)
