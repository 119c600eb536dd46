"""Hypothesis strategy of broken jobs: a valid job (``job_args.jobs``) with one mutation
that breaks one documented rule, and the path the validation must report it at."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

import pulumi_azure_batch_jobs as pab
from tests.support.job_args import env_names, jobs, release_tasks, resource_files

__all__ = ["MUTATIONS", "broken_jobs"]

Mutation = Callable[[dict[str, Any], st.DrawFn], str]


def _release(job: dict[str, Any]) -> dict[str, Any]:
    release: dict[str, Any] = job["job_release_task"]
    return release


def id_too_long(job: dict[str, Any], draw: st.DrawFn) -> str:
    job["id"] = draw(st.from_regex(r"[a-z]{65,80}", fullmatch=True))
    return "id"


def id_bad_chars(job: dict[str, Any], draw: st.DrawFn) -> str:
    job["id"] = draw(st.from_regex(r"[a-z]{0,5}[ .!/@][a-z]{0,5}", fullmatch=True))
    return "id"


def priority_out_of_range(job: dict[str, Any], draw: st.DrawFn) -> str:
    job["priority"] = draw(st.integers(1001, 10**6) | st.integers(-(10**6), -1001))
    return "priority"


def parallel_tasks_out_of_range(job: dict[str, Any], draw: st.DrawFn) -> str:
    job["max_parallel_tasks"] = draw(st.just(0) | st.integers(-(10**6), -2))
    return "max_parallel_tasks"


def display_name_too_long(job: dict[str, Any], draw: st.DrawFn) -> str:
    job["display_name"] = "n" * draw(st.integers(1025, 1100))
    return "display_name"


def release_wall_clock_too_long(job: dict[str, Any], draw: st.DrawFn) -> str:
    micro = draw(st.integers(900 * 10**6 + 1, 10**12))
    _release(job)["max_wall_clock_time"] = timedelta(microseconds=micro)
    return "job_release_task.max_wall_clock_time"


def retention_not_positive(job: dict[str, Any], draw: st.DrawFn) -> str:
    _release(job)["retention_time"] = -timedelta(seconds=draw(st.integers(0, 10**6)))
    return "job_release_task.retention_time"


def blank_command_line(job: dict[str, Any], draw: st.DrawFn) -> str:
    _release(job)["command_line"] = draw(st.sampled_from(["", " ", "\t"]))
    return "job_release_task.command_line"


def no_preparation(job: dict[str, Any], draw: st.DrawFn) -> str:
    del job["job_preparation_task"]
    return "job_preparation_task"


def task_id_same_as_release(job: dict[str, Any], draw: st.DrawFn) -> str:
    release_id = _release(job).get("id", "jobrelease")
    clash = "".join(c.swapcase() if draw(st.booleans()) else c for c in release_id)
    job.setdefault("tasks", []).append({"id": clash, "command_line": "x"})
    return f"tasks[{len(job['tasks']) - 1}].id"


def two_file_sources(job: dict[str, Any], draw: st.DrawFn) -> str:
    rf = draw(resource_files())
    extra = next(k for k in ("auto_storage_container_name", "storage_container_url") if k not in rf)
    rf[extra] = "https://a.blob.core.windows.net/c" if extra.endswith("url") else "c"
    files = _release(job).setdefault("resource_files", [])
    files.append(rf)
    return f"job_release_task.resource_files[{len(files) - 1}]"


def absolute_file_path(job: dict[str, Any], draw: st.DrawFn) -> str:
    rf = {
        "http_url": "https://h/f",
        "file_path": draw(st.sampled_from(["/abs", "../up", "a/../b"])),
    }
    files = _release(job).setdefault("resource_files", [])
    files.append(rf)
    return f"job_release_task.resource_files[{len(files) - 1}].file_path"


def duplicate_environment_name(job: dict[str, Any], draw: st.DrawFn) -> str:
    name = draw(env_names)
    settings_ = [s for s in _release(job).get("environment_settings", []) if s["name"] != name]
    settings_ += [{"name": name, "value": "1"}, {"name": name, "value": "2"}]
    _release(job)["environment_settings"] = settings_
    return f"job_release_task.environment_settings[{len(settings_) - 1}].name"


def user_and_auto_user(job: dict[str, Any], draw: st.DrawFn) -> str:
    _release(job)["user_identity"] = {"user_name": draw(env_names), "auto_user": {}}
    return "job_release_task.user_identity"


def bad_scope(job: dict[str, Any], draw: st.DrawFn) -> str:
    _release(job)["user_identity"] = {
        "auto_user": {"scope": draw(st.sampled_from(["node", "job", ""]))}
    }
    return "job_release_task.user_identity.auto_user.scope"


def both_pool_kinds(job: dict[str, Any], draw: st.DrawFn) -> str:
    job["pool_info"]["auto_pool_specification"] = {"pool_lifetime_option": "job"}
    return "pool_info"


def bad_completion_mode(job: dict[str, Any], draw: st.DrawFn) -> str:
    job["on_all_tasks_complete"] = draw(st.sampled_from(["terminate", "never", "noAction!"]))
    return "on_all_tasks_complete"


def _unused_id(job: dict[str, Any], stem: str) -> str:
    taken = {t.get("id", "").lower() for t in job.get("tasks", [])}
    for name, default in (
        ("job_preparation_task", "jobpreparation"),
        ("job_release_task", "jobrelease"),
    ):
        if name in job:
            taken.add(str(job[name].get("id", default)).lower())
    if "job_manager_task" in job:
        taken.add(str(job["job_manager_task"]["id"]).lower())
    candidate, n = stem, 0
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def manager_ends_job_with_tasks(job: dict[str, Any], draw: st.DrawFn) -> str:
    if not job.get("tasks"):
        job["tasks"] = [{"id": _unused_id(job, "work"), "command_line": "x"}]
    manager = job.get("job_manager_task")
    if manager is None:
        manager = job["job_manager_task"] = {"id": _unused_id(job, "manager"), "command_line": "m"}
    if draw(st.booleans()):
        manager["kill_job_on_completion"] = True
    else:
        manager.pop("kill_job_on_completion", None)
    return "job_manager_task.kill_job_on_completion"


MUTATIONS: list[Mutation] = [
    id_too_long,
    id_bad_chars,
    priority_out_of_range,
    parallel_tasks_out_of_range,
    display_name_too_long,
    release_wall_clock_too_long,
    retention_not_positive,
    blank_command_line,
    no_preparation,
    task_id_same_as_release,
    two_file_sources,
    absolute_file_path,
    duplicate_environment_name,
    user_and_auto_user,
    bad_scope,
    both_pool_kinds,
    bad_completion_mode,
    manager_ends_job_with_tasks,
]


@st.composite
def broken_jobs(draw: st.DrawFn) -> tuple[dict[str, Any], str, str]:
    job = draw(jobs())
    job.setdefault("job_preparation_task", {"command_line": "setup"})
    job.setdefault("job_release_task", draw(release_tasks()))
    job["job_release_task"].pop("id", None)
    pab_errors = pab.validate_job(job)
    assert pab_errors == [], pab_errors
    mutation = draw(st.sampled_from(MUTATIONS))
    broken = copy.deepcopy(job)
    return broken, mutation(broken, draw), mutation.__name__
