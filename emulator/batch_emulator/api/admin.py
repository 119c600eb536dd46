"""Emulator administration outside the Batch API: request statistics and a reset."""

from __future__ import annotations

import json

from starlette.responses import Response
from starlette.routing import Route

from batch_emulator.api._http import Call, operation

__all__ = ["routes"]


async def get_stats(call: Call) -> Response:
    body = json.dumps(call.env.stats.snapshot())
    return Response(body, media_type="application/json")


async def reset_stats(call: Call) -> Response:
    call.env.stats.reset()
    return Response(status_code=204)


async def reset_state(call: Call) -> Response:
    """Forget every pool, node, job and task (and the counters): a clean account."""
    context = call.service.context
    with context.lock:
        context.store.clear()
    call.env.stats.reset()
    return Response(status_code=204)


def routes() -> list[Route]:
    return [
        operation("Emulator_GetStats", "GET", "/_emulator/stats", get_stats, batch=False),
        operation(
            "Emulator_ResetStats", "POST", "/_emulator/stats/reset", reset_stats, batch=False
        ),
        operation("Emulator_ResetStats", "DELETE", "/_emulator/stats", reset_stats, batch=False),
        operation("Emulator_Reset", "POST", "/_emulator/reset", reset_state, batch=False),
    ]
