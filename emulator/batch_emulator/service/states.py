"""State machines of Batch resources as explicit transition tables.

Each table maps a state to the states it may move to. Verbs check their preconditions
against these tables and :func:`move` refuses any transition not listed, so the service
and the engine cannot put a resource in a state Batch would never show.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from batch_emulator.clock import iso

__all__ = [
    "JOB",
    "JOB_SCHEDULE",
    "NODE",
    "POOL",
    "POOL_ALLOCATION",
    "TASK",
    "IllegalTransitionError",
    "move",
]

JOB: Mapping[str, frozenset[str]] = {
    "active": frozenset({"disabling", "terminating", "deleting"}),
    "disabling": frozenset({"disabled", "terminating", "deleting"}),
    "disabled": frozenset({"enabling", "terminating", "deleting"}),
    "enabling": frozenset({"active", "terminating", "deleting"}),
    "terminating": frozenset({"completed", "deleting"}),
    "completed": frozenset({"deleting"}),
    "deleting": frozenset(),
}

#: A schedule completes by itself (``active`` -> ``completed``: past ``doNotRunAfter``, or its
#: one job done) or through ``terminating`` (its active job ending) when terminated.
JOB_SCHEDULE: Mapping[str, frozenset[str]] = {
    "active": frozenset({"disabled", "terminating", "completed", "deleting"}),
    "disabled": frozenset({"active", "terminating", "deleting"}),
    "terminating": frozenset({"completed", "deleting"}),
    "completed": frozenset({"deleting"}),
    "deleting": frozenset(),
}

TASK: Mapping[str, frozenset[str]] = {
    "active": frozenset({"preparing", "running", "completed"}),
    "preparing": frozenset({"running", "active", "completed"}),
    "running": frozenset({"completed", "active"}),
    "completed": frozenset({"active"}),  # reactivate
}

POOL: Mapping[str, frozenset[str]] = {
    "active": frozenset({"deleting"}),
    "deleting": frozenset(),
}

POOL_ALLOCATION: Mapping[str, frozenset[str]] = {
    "steady": frozenset({"resizing"}),
    "resizing": frozenset({"steady", "stopping"}),
    "stopping": frozenset({"steady"}),
}

NODE: Mapping[str, frozenset[str]] = {
    "starting": frozenset({"idle", "starttaskfailed", "rebooting", "reimaging"}),
    "idle": frozenset({"running", "rebooting", "reimaging", "offline", "leavingpool"}),
    "running": frozenset({"idle", "rebooting", "reimaging", "offline", "leavingpool"}),
    "rebooting": frozenset({"starting", "idle"}),
    "reimaging": frozenset({"starting", "idle"}),
    "offline": frozenset({"idle", "running", "rebooting", "reimaging", "leavingpool"}),
    "starttaskfailed": frozenset({"rebooting", "reimaging", "leavingpool"}),
    "leavingpool": frozenset(),
}


class IllegalTransitionError(RuntimeError):
    """A transition the table does not allow: a bug in the service or the engine."""


def move(
    table: Mapping[str, frozenset[str]],
    body: dict[str, Any],
    target: str,
    now: datetime,
    *,
    field: str = "state",
    keep_previous: bool = True,
) -> None:
    """Move ``body[field]`` to ``target``, recording the transition times Batch reports."""
    current = str(body.get(field))
    if current == target:
        return
    if target not in table.get(current, frozenset()):
        raise IllegalTransitionError(f"{field} {current} -> {target}")
    stamp = iso(now)
    if keep_previous:
        body["previousState"] = current
        body["previousStateTransitionTime"] = body.get("stateTransitionTime", stamp)
    body[field] = target
    body[f"{field}TransitionTime"] = stamp
