"""Routes of ``/pools`` and ``/pools/{poolId}/nodes``."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from batch_emulator.api._http import Call, batch_operation
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
    return [
        batch_operation("Pools_ListPools", list_pools),
        batch_operation("Pools_CreatePool", create_pool),
        batch_operation("Pools_PoolExists", pool_exists),
        batch_operation("Pools_GetPool", get_pool),
        batch_operation("Pools_UpdatePool", update_pool),
        batch_operation("Pools_DeletePool", delete_pool),
        batch_operation("Pools_ResizePool", resize_pool),
        batch_operation("Pools_StopPoolResize", stop_pool_resize),
        batch_operation("Pools_ReplacePoolProperties", replace_pool_properties),
        batch_operation("Nodes_ListNodes", list_nodes),
        batch_operation("Nodes_GetNode", get_node),
        batch_operation("Nodes_RebootNode", reboot_node),
        batch_operation("Nodes_ReimageNode", reimage_node),
    ]
