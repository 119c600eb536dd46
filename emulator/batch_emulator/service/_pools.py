"""Pool and node verbs: create, get, list, exists, delete, resize, update; node actions."""

from __future__ import annotations

import secrets
from typing import Any

from batch_emulator.clock import iso
from batch_emulator.errors import BatchError, resource_exists
from batch_emulator.service import _rules, states
from batch_emulator.service._context import BASE, Conditions, Context, key
from batch_emulator.service._paging import ListQuery, Page, paginate
from batch_emulator.service._schema import check_body

__all__ = ["PoolService"]

_NO_CONDITIONS = Conditions()
#: The emulated account's quota: a pool gets at most this many nodes of each kind;
#: beyond it the resize stops with a resize error, as quota exhaustion does on Batch.
MAX_NODES_PER_POOL = 64


class PoolService:
    """Verbs on ``/pools`` and ``/pools/{poolId}/nodes``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- pools -------------------------------------------------------------------

    def create(self, payload: object) -> dict[str, Any]:
        spec = check_body(payload, "BatchPoolCreateOptions")
        _rules.check_pool(spec)
        ctx = self._ctx
        now = iso(ctx.now())
        pool: dict[str, Any] = {
            "taskSlotsPerNode": 1,
            "enableAutoScale": False,
            "enableInterNodeCommunication": False,
            "resizeTimeout": "PT15M",
            "taskSchedulingPolicy": {"nodeFillType": "spread"},
            **spec,
            "url": f"{BASE}/pools/{spec['id']}",
            "creationTime": now,
            "state": "active",
            "stateTransitionTime": now,
            "allocationState": "steady",
            "allocationStateTransitionTime": now,
            "targetDedicatedNodes": int(spec.get("targetDedicatedNodes", 0)),
            "targetLowPriorityNodes": int(spec.get("targetLowPriorityNodes", 0)),
            "currentDedicatedNodes": 0,
            "currentLowPriorityNodes": 0,
        }
        with ctx.lock, ctx.store.transaction():
            if ctx.store.get("pool", "", key(pool["id"])) is not None:
                raise resource_exists("pool")
            self._resize(pool)
            ctx.stamp(pool)
            ctx.store.insert("pool", "", key(pool["id"]), pool)
        ctx.engine.pool_changed(pool["id"])
        return self._ctx.load("pool", "", pool["id"])

    def get(self, pool_id: str, conditions: Conditions = _NO_CONDITIONS) -> dict[str, Any]:
        pool = self._ctx.load("pool", "", pool_id)
        conditions.check(pool, read=True)
        return pool

    def list(self, query: ListQuery) -> Page:
        return paginate(self._ctx.store.list("pool", "", query.after_seq()), query)

    def delete(self, pool_id: str, conditions: Conditions) -> None:
        ctx = self._ctx
        with ctx.lock:
            pool = ctx.load("pool", "", pool_id)
            conditions.check(pool, read=False)
            if pool["state"] == "deleting":
                raise BatchError(409, "PoolBeingDeleted", "The specified pool is being deleted.")
            states.move(states.POOL, pool, "deleting", ctx.now())
            ctx.stamp(pool)
            ctx.save("pool", "", pool)
        ctx.engine.pool_deleting(pool["id"])

    def update(self, pool_id: str, payload: object, conditions: Conditions) -> dict[str, Any]:
        patch = check_body(payload, "BatchPoolUpdateOptions")
        return self._change(pool_id, conditions, lambda pool: pool.update(patch))

    def replace_properties(self, pool_id: str, payload: object) -> dict[str, Any]:
        spec = check_body(payload, "BatchPoolReplaceOptions")

        def apply(pool: dict[str, Any]) -> None:
            pool.pop("startTask", None)
            pool.update(spec)

        return self._change(pool_id, _NO_CONDITIONS, apply)

    def resize(self, pool_id: str, payload: object, conditions: Conditions) -> dict[str, Any]:
        spec = check_body(payload, "BatchPoolResizeOptions")
        _rules.check_pool({"id": pool_id, **spec})

        def apply(pool: dict[str, Any]) -> None:
            if pool.get("enableAutoScale"):
                raise BatchError(
                    409,
                    "AutoScalingEnabled",
                    "The specified pool has auto scaling enabled; it cannot be resized manually.",
                )
            for name in ("targetDedicatedNodes", "targetLowPriorityNodes", "resizeTimeout"):
                if name in spec:
                    pool[name] = spec[name]
            self._resize(pool)

        pool = self._change(pool_id, conditions, apply)
        self._ctx.engine.pool_changed(pool["id"])
        return pool

    def stop_resize(self, pool_id: str, conditions: Conditions) -> dict[str, Any]:
        return self._change(pool_id, conditions, lambda pool: None)

    def _change(self, pool_id: str, conditions: Conditions, apply: Any) -> dict[str, Any]:
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            pool = ctx.load("pool", "", pool_id)
            conditions.check(pool, read=False)
            if pool["state"] == "deleting":
                raise BatchError(409, "PoolBeingDeleted", "The specified pool is being deleted.")
            apply(pool)
            ctx.stamp(pool)
            ctx.save("pool", "", pool)
            return pool

    def _resize(self, pool: dict[str, Any]) -> None:
        """Bring the pool's nodes to its targets at once (resizing, then steady)."""
        ctx = self._ctx
        now = ctx.now()
        states.move(
            states.POOL_ALLOCATION,
            pool,
            "resizing",
            now,
            field="allocationState",
            keep_previous=False,
        )
        nodes = [row.body for row in ctx.store.list("node", key(pool["id"]))]
        pool.pop("resizeErrors", None)
        for dedicated, target_name, current_name in (
            (True, "targetDedicatedNodes", "currentDedicatedNodes"),
            (False, "targetLowPriorityNodes", "currentLowPriorityNodes"),
        ):
            mine = [n for n in nodes if bool(n.get("isDedicated")) == dedicated]
            target = int(pool.get(target_name, 0))
            if target > MAX_NODES_PER_POOL:
                target = MAX_NODES_PER_POOL
                pool["resizeErrors"] = [
                    {
                        "code": "AccountCoreQuotaReached",
                        "message": f"The emulator allows at most {MAX_NODES_PER_POOL} nodes "
                        "of each kind per pool.",
                    }
                ]
            while len(mine) < target:
                node = self._new_node(pool, dedicated)
                ctx.store.insert("node", key(pool["id"]), key(node["id"]), node)
                mine.append(node)
            idle_first = sorted(mine, key=lambda n: n["state"] != "idle")
            for node in idle_first[target:]:
                ctx.store.delete("node", key(pool["id"]), key(node["id"]))
            pool[current_name] = min(len(mine), target)
        states.move(
            states.POOL_ALLOCATION,
            pool,
            "steady",
            now,
            field="allocationState",
            keep_previous=False,
        )

    def _new_node(self, pool: dict[str, Any], dedicated: bool) -> dict[str, Any]:
        now = iso(self._ctx.now())
        node_id = f"tvmps_{secrets.token_hex(32)}_{'d' if dedicated else 'p'}"
        number = self._ctx.store.count("node", key(pool["id"])) + 4
        vm = pool.get("virtualMachineConfiguration", {})
        return {
            "id": node_id,
            "url": f"{BASE}/pools/{pool['id']}/nodes/{node_id}",
            "state": "idle",
            "schedulingState": "enabled",
            "stateTransitionTime": now,
            "lastBootTime": now,
            "allocationTime": now,
            "ipAddress": f"10.0.{number // 250}.{number % 250 + 4}",
            "ipv6Address": f"fd00::{number:x}",
            "affinityId": f"TVM:{node_id}",
            "vmSize": pool["vmSize"],
            "totalTasksRun": 0,
            "runningTasksCount": 0,
            "runningTaskSlotsCount": 0,
            "totalTasksSucceeded": 0,
            "isDedicated": dedicated,
            "nodeAgentInfo": {"version": "1.0.0-emulator", "lastUpdateTime": now},
            "virtualMachineInfo": {"imageReference": vm.get("imageReference", {})},
        }

    # -- nodes -------------------------------------------------------------------

    def list_nodes(self, pool_id: str, query: ListQuery) -> Page:
        self._ctx.load("pool", "", pool_id)
        return paginate(self._ctx.store.list("node", key(pool_id), query.after_seq()), query)

    def get_node(self, pool_id: str, node_id: str) -> dict[str, Any]:
        self._ctx.load("pool", "", pool_id)
        return self._ctx.load("node", key(pool_id), node_id)

    def restart_node(self, pool_id: str, node_id: str, payload: object, reimage: bool) -> None:
        definition = "BatchNodeReimageOptions" if reimage else "BatchNodeRebootOptions"
        options = check_body(payload, definition) if payload is not None else {}
        option = str(options.get("nodeReimageOption" if reimage else "nodeRebootOption", "requeue"))
        ctx = self._ctx
        with ctx.lock, ctx.store.transaction():
            self._ctx.load("pool", "", pool_id)
            node = ctx.load("node", key(pool_id), node_id)
            target = "reimaging" if reimage else "rebooting"
            if target not in states.NODE.get(node["state"], frozenset()):
                raise BatchError(
                    409,
                    "NodeStateNotValid"
                    if node["state"] not in {"rebooting", "reimaging"}
                    else (
                        "NodeBeingReimaged" if node["state"] == "reimaging" else "NodeBeingRebooted"
                    ),
                    f"The node is {node['state']}; it cannot be {target[:-3]}ed now.",
                )
            states.move(states.NODE, node, target, ctx.now(), keep_previous=False)
            ctx.save("node", key(pool_id), node)
            if reimage:
                self._forget_preparations(node["id"])
        ctx.engine.node_restarting(node_pool_id(pool_id, ctx), node["id"], reimage, option)

    def _forget_preparations(self, node_id: str) -> None:
        """After a reimage the node has no preparation; release must not run there."""
        ctx = self._ctx
        for job in ctx.store.list("job", ""):
            record = ctx.store.get("prep", key(job.body["id"]), key(node_id))
            if record is not None:
                record["_reimaged"] = True
                ctx.store.put("prep", key(job.body["id"]), key(node_id), record)


def node_pool_id(pool_id: str, ctx: Context) -> str:
    """The pool's id as created (ids are case-insensitive in requests)."""
    return str(ctx.load("pool", "", pool_id)["id"])
