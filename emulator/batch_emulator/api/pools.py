"""Routes of ``/pools`` and ``/pools/{poolId}/nodes``."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from batch_emulator.api._http import Call, operation
from batch_emulator.service import project

__all__ = ["routes"]


def _pool_id(call: Call) -> str:
    return str(call.request.path_params["pool_id"])


def _node_ids(call: Call) -> tuple[str, str]:
    return _pool_id(call), str(call.request.path_params["node_id"])


async def create_pool(call: Call) -> Response:
    pool = call.service.pools.create(await call.required_body())
    return call.done(201, pool, location=True)


async def list_pools(call: Call) -> Response:
    return call.listing(call.service.pools.list(call.list_query()), "pools")


async def get_pool(call: Call) -> Response:
    pool = call.service.pools.get(_pool_id(call), call.conditions())
    return call.entity(pool, "pools/@Element", select=call.select())


async def pool_exists(call: Call) -> Response:
    pool = call.service.pools.get(_pool_id(call), call.conditions())
    headers = call.resource_headers(pool, data_service_id=False)
    return Response(status_code=200, headers=headers, media_type="application/json")


async def delete_pool(call: Call) -> Response:
    call.service.pools.delete(_pool_id(call), call.conditions())
    return call.done(202)


async def update_pool(call: Call) -> Response:
    pool = call.service.pools.update(_pool_id(call), await call.required_body(), call.conditions())
    return call.done(200, pool)


async def replace_pool_properties(call: Call) -> Response:
    pool = call.service.pools.replace_properties(_pool_id(call), await call.required_body())
    return call.done(204, pool)


async def resize_pool(call: Call) -> Response:
    pool = call.service.pools.resize(_pool_id(call), await call.required_body(), call.conditions())
    return call.done(202, pool)


async def stop_pool_resize(call: Call) -> Response:
    pool = call.service.pools.stop_resize(_pool_id(call), call.conditions())
    return call.done(202, pool)


async def list_nodes(call: Call) -> Response:
    return call.listing(call.service.pools.list_nodes(_pool_id(call), call.list_query()), "nodes")


async def get_node(call: Call) -> Response:
    node = call.service.pools.get_node(*_node_ids(call))
    return call.document(project(node, call.select()), "nodes/@Element")


async def reboot_node(call: Call) -> Response:
    pool_id, node_id = _node_ids(call)
    call.service.pools.restart_node(pool_id, node_id, await call.body(), reimage=False)
    return call.done(202)


async def reimage_node(call: Call) -> Response:
    pool_id, node_id = _node_ids(call)
    call.service.pools.restart_node(pool_id, node_id, await call.body(), reimage=True)
    return call.done(202)


def routes() -> list[Route]:
    pool = "/pools/{pool_id}"
    node = pool + "/nodes/{node_id}"
    return [
        operation("Pools_ListPools", "GET", "/pools", list_pools),
        operation("Pools_CreatePool", "POST", "/pools", create_pool),
        operation("Pools_PoolExists", "HEAD", pool, pool_exists),
        operation("Pools_GetPool", "GET", pool, get_pool),
        operation("Pools_UpdatePool", "PATCH", pool, update_pool),
        operation("Pools_DeletePool", "DELETE", pool, delete_pool),
        operation("Pools_ResizePool", "POST", f"{pool}/resize", resize_pool),
        operation("Pools_StopPoolResize", "POST", f"{pool}/stopresize", stop_pool_resize),
        operation(
            "Pools_ReplacePoolProperties",
            "POST",
            f"{pool}/updateproperties",
            replace_pool_properties,
        ),
        operation("Nodes_ListNodes", "GET", f"{pool}/nodes", list_nodes),
        operation("Nodes_GetNode", "GET", node, get_node),
        operation("Nodes_RebootNode", "POST", f"{node}/reboot", reboot_node),
        operation("Nodes_ReimageNode", "POST", f"{node}/reimage", reimage_node),
    ]
