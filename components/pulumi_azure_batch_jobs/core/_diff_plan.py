"""Which input changes Batch can apply in place, and which force a new job.

The table follows the Batch REST API: ``Job - Update`` (PATCH) accepts priority, max
parallel tasks, allow task preemption, constraints, the all-tasks-complete mode,
metadata and pool info; everything else about a job is fixed at creation. Pool info is
changed in place by disabling the job (running tasks requeued), patching it and enabling
it again, as Batch requires. Settings of the resource itself (timeouts, what delete does,
the credential, waiting for tasks) change nothing in the service; a change of
``triggers`` replaces the job on purpose. The initial tasks are created with the job;
changing them replaces the job.

A job schedule's table (``SCHEDULE_TABLE``) follows ``Job Schedule - Update``: its schedule,
its job specification and its metadata change in place (each sent whole; a changed job
specification applies to the jobs created afterwards), ``enabled`` disables or enables it;
its id and display name are fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Job properties ``Job - Update`` (PATCH) changes in place.
PATCHABLE = frozenset(
    {
        "priority",
        "max_parallel_tasks",
        "allow_task_preemption",
        "constraints",
        "on_all_tasks_complete",
        "metadata",
    }
)
#: Patchable only while the job is disabled: disable -> patch -> enable.
PATCHABLE_WHILE_DISABLED = frozenset({"pool_info"})
#: Settings of the Pulumi resource, not of the Batch job: no request when they change
#: (``auto_name_prefix``: 0.1's, in the olds of a stack upgraded through an alias).
RESOURCE_SETTINGS = frozenset(
    {
        "delete_timeout_seconds",
        "on_delete",
        "account_key",
        "auto_name_prefix",
        "adopt",
        "wait_for_tasks",
        "wait_timeout_seconds",
    }
)
#: Settings of the Pulumi resource a change of which replaces the job: a re-run on demand.
REPLACING_SETTINGS = frozenset({"triggers"})
#: 0.1's identity of the resource (a hash of its URN), in the olds of a stack upgraded
#: through an alias: ignored when diffing.
IDENTITY = frozenset({"create_token"})
#: Outputs computed by the service (never inputs): ignored when diffing.
COMPUTED = frozenset(
    {
        "url",
        "etag",
        "state",
        "creation_time",
        "last_modified",
        "preparation_and_release_status",
        "create_id",  # 0.1's record of the create token
        "job_id_generated",
        "owner",
        "task_counts",
    }
)


#: A job schedule's elements ``Job Schedule - Update`` (PATCH) replaces in place.
SCHEDULE_PATCHABLE = frozenset({"schedule", "job_specification", "metadata"})
#: A job schedule's settings that change nothing in the service.
SCHEDULE_SETTINGS = frozenset({"delete_timeout_seconds", "account_key"})
#: Disable / Enable Job Schedule.
SCHEDULE_TOGGLES = frozenset({"enabled"})
#: What the service reports about a job schedule: ignored when diffing.
SCHEDULE_COMPUTED = frozenset(
    {
        "url",
        "etag",
        "state",
        "creation_time",
        "last_modified",
        "next_run_time",
        "recent_job_id",
        "recent_jobs",
        "schedule_id_generated",
        "owner",
    }
)


@dataclass(frozen=True)
class DiffTable:
    """Which inputs of a resource change in place, how, and which change nothing."""

    patchable: frozenset[str]
    settings: frozenset[str]
    computed: frozenset[str]
    while_disabled: frozenset[str] = frozenset()
    toggles: frozenset[str] = frozenset()
    identity: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DiffPlan:
    """What a change of inputs means for the job (or the job schedule)."""

    replaces: list[str] = field(default_factory=list)
    patches: list[str] = field(default_factory=list)
    pool_change: bool = False
    settings: list[str] = field(default_factory=list)
    toggles: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.replaces or self.patches or self.pool_change or self.settings or self.toggles
        )


def _differs(old: Any, new: Any) -> bool:
    # Absent, None and empty collections all mean "not set" to Batch.
    def norm(v: Any) -> Any:
        return None if v in (None, [], {}) else v

    return bool(norm(old) != norm(new))


#: A job's table.
JOB_TABLE = DiffTable(
    patchable=PATCHABLE,
    settings=RESOURCE_SETTINGS,
    computed=COMPUTED,
    while_disabled=PATCHABLE_WHILE_DISABLED,
    identity=IDENTITY,
)
#: A job schedule's table.
SCHEDULE_TABLE = DiffTable(
    patchable=SCHEDULE_PATCHABLE,
    settings=SCHEDULE_SETTINGS,
    computed=SCHEDULE_COMPUTED,
    toggles=SCHEDULE_TOGGLES,
)


def plan_diff(
    olds: Mapping[str, Any], news: Mapping[str, Any], table: DiffTable = JOB_TABLE
) -> DiffPlan:
    """Classify every top-level input that differs between ``olds`` and ``news``."""
    keys = sorted((set(olds) | set(news)) - table.computed - table.identity - {"__provider"})
    replaces: list[str] = []
    patches: list[str] = []
    settings: list[str] = []
    toggles: list[str] = []
    pool_change = False
    for key in keys:
        if not _differs(olds.get(key), news.get(key)):
            continue
        if key in table.patchable:
            patches.append(key)
        elif key in table.while_disabled:
            pool_change = True
        elif key in table.settings:
            settings.append(key)
        elif key in table.toggles:
            toggles.append(key)
        else:  # a field fixed at creation, or one of REPLACING_SETTINGS
            replaces.append(key)
    return DiffPlan(replaces, patches, pool_change, settings, toggles)
