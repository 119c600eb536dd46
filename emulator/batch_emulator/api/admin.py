"""Emulator administration outside the Batch API: request statistics and a reset."""

from __future__ import annotations

import json
from datetime import timedelta

from starlette.responses import Response
from starlette.routing import Route

from batch_emulator.api._http import Call, operation
from batch_emulator.clock import iso

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
    context.engine.reset()
    with context.lock:
        context.store.clear()
    call.env.stats.reset()
    return Response(status_code=204)


async def advance_clock(call: Call) -> Response:
    """Move the emulated clock forward by ``?seconds=N`` (wall-clock limits, retention)."""
    clock = call.service.context.clock
    advance = getattr(clock, "advance", None)
    try:
        seconds = float(call.request.query_params.get("seconds", ""))
    except ValueError:
        seconds = -1.0
    if advance is None or not 0 <= seconds < 1e9:
        return Response(status_code=400)
    advance(timedelta(seconds=seconds))
    return Response(json.dumps({"now": iso(clock.now())}), media_type="application/json")


def routes() -> list[Route]:
    return [
        operation("Emulator_GetStats", "GET", "/_emulator/stats", get_stats, batch=False),
        operation(
            "Emulator_ResetStats", "POST", "/_emulator/stats/reset", reset_stats, batch=False
        ),
        operation("Emulator_ResetStats", "DELETE", "/_emulator/stats", reset_stats, batch=False),
        operation("Emulator_Reset", "POST", "/_emulator/reset", reset_state, batch=False),
        operation(
            "Emulator_AdvanceClock", "POST", "/_emulator/clock/advance", advance_clock, batch=False
        ),
    ]
