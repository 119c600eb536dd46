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


def configured_specs() -> list[dict[str, Any]]:
    """The jobs of a benchmark stack, from its config: ``count`` (N), ``tasks`` (M),
    ``release_seconds`` (how long each release task sleeps), ``prefix`` (job ids are
    ``<prefix>-<i>``). Call it from a Pulumi program."""
    import pulumi

    config = pulumi.Config()
    count = config.require_int("count")
    tasks = config.get_int("tasks") or 0
    release_seconds = config.get_float("release_seconds") or 0.0
    prefix = config.get("prefix") or "bench"
    return [job_spec(f"{prefix}-{i}", tasks, release_seconds) for i in range(count)]


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(word.capitalize() for word in rest)


def wire_properties(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` as ``BatchJob`` sends it to its plugin: camelCase keys, ``jobId`` for ``id``."""

    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            return {_camel(k): convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    props: dict[str, Any] = convert({k: v for k, v in spec.items() if k != "id"})
    props["jobId"] = spec["id"]
    return props
