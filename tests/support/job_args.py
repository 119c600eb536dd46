"""Hypothesis strategies for valid argument values (attribute-keyed plain dicts), and helpers."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from pulumi_azure_batch_jobs.validation._values import parse_duration
from tests.support.rest_spec import SPEC_DIR

REPO = Path(__file__).resolve().parents[2]
#: The REST spec's x-ms-examples (where ``rest_spec`` finds the spec).
EXAMPLES = SPEC_DIR / "examples"
DURATION_KEYS = {"maxWallClockTime", "retentionTime", "max_wall_clock_time", "retention_time"}

ids = st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
command_lines = text.filter(lambda s: s.strip() != "")
durations = st.integers(1, 10**12).map(lambda us: timedelta(microseconds=us))
seconds = st.integers(1, 10**7).map(lambda s: timedelta(seconds=s))
release_wall_clock = st.integers(1, 900 * 10**6).map(lambda us: timedelta(microseconds=us))
segment = st.from_regex(r"[a-z0-9_]{1,8}", fullmatch=True)
relative_paths = st.lists(segment, min_size=1, max_size=3).map("/".join)
urls = st.builds(
    lambda host, p: f"https://{host}.blob.core.windows.net/{p}", segment, relative_paths
)
env_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)


def _drop_none(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


identity_refs = st.builds(lambda r: {"resource_id": r}, text.filter(lambda s: s.strip() != ""))


@st.composite
def resource_files(draw: st.DrawFn) -> dict[str, Any]:
    source = draw(
        st.sampled_from(["auto_storage_container_name", "storage_container_url", "http_url"])
    )
    rf: dict[str, Any] = {}
    if source == "http_url":
        rf["http_url"] = draw(urls)
        rf["file_path"] = draw(relative_paths)
    else:
        rf[source] = draw(segment if source == "auto_storage_container_name" else urls)
        rf.update(
            _drop_none(
                file_path=draw(optional(relative_paths)), blob_prefix=draw(optional(segment))
            )
        )
    rf.update(
        _drop_none(
            file_mode=draw(optional(st.from_regex(r"0[0-7]{3}", fullmatch=True))),
            identity_reference=draw(optional(identity_refs)),
        )
    )
    return rf


@st.composite
def environment_settings(draw: st.DrawFn) -> list[dict[str, Any]]:
    names = draw(st.lists(env_names, max_size=3, unique=True))
    return [_drop_none(name=n, value=draw(optional(text))) for n in names]


auto_users = st.builds(
    lambda s, e: _drop_none(scope=s, elevation_level=e),
    optional(st.sampled_from(["task", "pool", "Task", "POOL"])),
    optional(st.sampled_from(["admin", "nonadmin", "NonAdmin"])),
)
user_identities = st.one_of(
    st.builds(lambda u: {"user_name": u}, env_names),
    st.builds(lambda a: {"auto_user": a}, auto_users),
)


@st.composite
def registries(draw: st.DrawFn) -> dict[str, Any]:
    server = draw(optional(st.just("myregistry.azurecr.io")))
    if draw(st.booleans()):
        reg = {"user_name": draw(env_names), "password": draw(text)}
    else:
        reg = _drop_none(identity_reference=draw(optional(identity_refs)))
    return _drop_none(registry_server=server, **reg)


def container_settings(bind_mounts: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    mounts = st.lists(
        st.builds(
            lambda s, r: _drop_none(source=s, is_read_only=r),
            st.sampled_from(["Shared", "Startup", "VfsMounts", "Task", "JobPrep", "Applications"]),
            optional(st.booleans()),
        ),
        max_size=2,
    )
    return st.builds(
        lambda image, opts, reg, wd, m: _drop_none(
            image_name=image,
            container_run_options=opts,
            registry=reg,
            working_directory=wd,
            container_host_batch_bind_mounts=m if bind_mounts else None,
        ),
        st.sampled_from(["ubuntu", "mcr.microsoft.com/azure-cli:2.60", "busybox:latest"]),
        optional(st.sampled_from(["--rm", "--network host"])),
        optional(registries()),
        optional(st.sampled_from(["taskWorkingDirectory", "containerImageDefault"])),
        optional(mounts),
    )


task_constraints = st.builds(
    lambda w, r, c: _drop_none(max_wall_clock_time=w, retention_time=r, max_task_retry_count=c),
    optional(durations),
    optional(seconds),
    optional(st.integers(-1, 100)),
)


def release_tasks(bind_mounts: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda i, c, cs, rf, env, w, r, ui: _drop_none(
            id=i,
            command_line=c,
            container_settings=cs,
            resource_files=rf,
            environment_settings=env,
            max_wall_clock_time=w,
            retention_time=r,
            user_identity=ui,
        ),
        optional(ids),
        command_lines,
        optional(container_settings(bind_mounts)),
        optional(st.lists(resource_files(), max_size=2)),
        optional(environment_settings()),
        optional(release_wall_clock),
        optional(durations),
        optional(user_identities),
    )


def preparation_tasks(bind_mounts: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda i, c, cs, rf, env, con, w, ui, rr: _drop_none(
            id=i,
            command_line=c,
            container_settings=cs,
            resource_files=rf,
            environment_settings=env,
            constraints=con,
            wait_for_success=w,
            user_identity=ui,
            rerun_on_node_reboot_after_success=rr,
        ),
        optional(ids),
        command_lines,
        optional(container_settings(bind_mounts)),
        optional(st.lists(resource_files(), max_size=2)),
        optional(environment_settings()),
        optional(task_constraints),
        optional(st.booleans()),
        optional(user_identities),
        optional(st.booleans()),
    )


def manager_tasks(bind_mounts: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda i, d, c, env, con, slots, k, ui, rx, lp: _drop_none(
            id=i,
            display_name=d,
            command_line=c,
            environment_settings=env,
            constraints=con,
            required_slots=slots,
            kill_job_on_completion=k,
            user_identity=ui,
            run_exclusive=rx,
            allow_low_priority_node=lp,
        ),
        ids,
        optional(text),
        command_lines,
        optional(environment_settings()),
        optional(task_constraints),
        optional(st.integers(1, 64)),
        optional(st.booleans()),
        optional(user_identities),
        optional(st.booleans()),
        optional(st.booleans()),
    )


initial_tasks = st.builds(
    lambda i, c, rf, con, slots: _drop_none(
        id=i, command_line=c, resource_files=rf, constraints=con, required_slots=slots
    ),
    ids,
    command_lines,
    optional(st.lists(resource_files(), max_size=1)),
    optional(task_constraints),
    optional(st.integers(1, 8)),
)


@st.composite
def jobs(draw: st.DrawFn, bind_mounts: bool = True, with_tasks: bool = True) -> dict[str, Any]:
    """A valid job: ids of all its tasks distinct case-insensitively, release only with prep,
    initial tasks only with a manager that does not end the job (or none)."""
    job: dict[str, Any] = {"id": draw(ids), "pool_info": {"pool_id": draw(ids)}}
    job.update(
        _drop_none(
            display_name=draw(optional(text)),
            priority=draw(optional(st.integers(-1000, 1000))),
            max_parallel_tasks=draw(optional(st.sampled_from([-1, 1, 2, 50]))),
            allow_task_preemption=draw(optional(st.booleans())),
            constraints=draw(
                optional(
                    st.builds(
                        lambda w, c: _drop_none(max_wall_clock_time=w, max_task_retry_count=c),
                        optional(seconds),
                        optional(st.integers(-1, 10)),
                    )
                )
            ),
            job_manager_task=draw(optional(manager_tasks(bind_mounts))),
            common_environment_settings=draw(optional(environment_settings())),
            on_all_tasks_complete=draw(optional(st.sampled_from(["noaction", "terminatejob"]))),
            on_task_failure=draw(
                optional(st.sampled_from(["noaction", "performexitoptionsjobaction"]))
            ),
            metadata=draw(
                optional(st.lists(st.builds(lambda n, v: {"name": n, "value": v}, env_names, text)))
            ),
            uses_task_dependencies=draw(optional(st.booleans())),
        )
    )
    if draw(st.booleans()):
        job["job_preparation_task"] = draw(preparation_tasks(bind_mounts))
        if draw(st.booleans()):
            job["job_release_task"] = draw(release_tasks(bind_mounts))
    if with_tasks:
        job.update(_drop_none(tasks=draw(optional(st.lists(initial_tasks, max_size=3)))))
        manager = job.get("job_manager_task")
        if manager and job.get("tasks") and manager.get("kill_job_on_completion") is not False:
            # A manager that ends the job (true or unset) races the initial tasks: the
            # rules refuse it, so keep one or the other.
            if draw(st.booleans()):
                manager["kill_job_on_completion"] = False
            else:
                del job["tasks"]
    taken: set[str] = set()
    for name, default in (
        ("job_preparation_task", "jobpreparation"),
        ("job_release_task", "jobrelease"),
        ("job_manager_task", None),
    ):
        if name in job:
            _make_unique(job[name], default, taken)
    for task in job.get("tasks", []):
        _make_unique(task, None, taken)
    return job


def _make_unique(task: dict[str, Any], default: str | None, taken: set[str]) -> None:
    task_id = task.get("id", default)
    assert task_id is not None
    candidate, n = task_id, 0
    while candidate.lower() in taken:
        n += 1
        candidate = f"{task_id[:58]}-{n}"
    taken.add(candidate.lower())
    if candidate != task_id:
        task["id"] = candidate


def normalize_durations(value: Any) -> Any:
    """Replace ISO 8601 duration text by timedelta, so equivalent spellings compare equal."""
    if isinstance(value, dict):
        return {
            k: (
                parse_duration(v)
                if k in DURATION_KEYS and isinstance(v, str)
                else normalize_durations(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [normalize_durations(v) for v in value]
    return value


def to_json_value(value: Any) -> Any:
    """Plain values with timedeltas as ISO 8601 text (for JSON)."""
    from pulumi_azure_batch_jobs.validation._values import format_duration

    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json_value(v) for v in value]
    if isinstance(value, timedelta):
        return format_duration(value)
    return value


def load_example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data
