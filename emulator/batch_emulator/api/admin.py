"""Emulator administration outside the Batch API: request statistics and a reset."""

from __future__ import annotations

import json
from datetime import timedelta

from starlette.responses import Response
from starlette.routing import Route

from batch_emulator.api._http import Call, operation
from batch_emulator.clock import iso
from batch_emulator.faults import FaultConfig, FaultInjector

__all__ = ["routes"]


async def get_stats(call: Call) -> Response:
    snapshot = call.env.stats.snapshot()
    injector = _faults(call)
    if injector is not None:
        snapshot["faults"] = injector.snapshot()
    return Response(json.dumps(snapshot), media_type="application/json")


def _faults(call: Call) -> FaultInjector | None:
    injector = getattr(call.request.app.state, "faults", None)
    return injector if isinstance(injector, FaultInjector) else None


async def get_faults(call: Call) -> Response:
    injector = _faults(call)
    body = {} if injector is None else injector.snapshot()
    return Response(json.dumps(body), media_type="application/json")


async def set_faults(call: Call) -> Response:
    """Replace the fault configuration (JSON: rate, kinds, ops, slow_seconds, seed) and
    reset the fault counters; 400 when faults are unavailable or the body is invalid."""
    injector = _faults(call)
    try:
        data = json.loads(await call.request.body() or b"{}")
        if injector is None or not isinstance(data, dict):
            raise ValueError("faults unavailable")
        config = FaultConfig.from_json(data)
    except (ValueError, TypeError) as exc:
        return Response(json.dumps({"error": str(exc)}), 400, media_type="application/json")
    injector.configure(config)
    injector.reset_counts()
    return Response(json.dumps(injector.snapshot()), media_type="application/json")


async def reset_stats(call: Call) -> Response:
    call.env.stats.reset()
    injector = _faults(call)
    if injector is not None:
        injector.reset_counts()
    return Response(status_code=204)


async def reset_state(call: Call) -> Response:
    """Forget every pool, node, job and task (and the counters): a clean account."""
    call.service.reset()
    call.env.stats.reset()
    return Response(status_code=204)


async def advance_clock(call: Call) -> Response:
    """Move the emulated clock forward by ``?seconds=N`` (wall-clock limits, retention)."""
    try:
        seconds = float(call.request.query_params.get("seconds", ""))
    except ValueError:
        seconds = -1.0
    now = call.service.advance_clock(timedelta(seconds=seconds)) if 0 <= seconds < 1e9 else None
    if now is None:
        return Response(status_code=400)
    return Response(json.dumps({"now": iso(now)}), media_type="application/json")


def routes() -> list[Route]:
    return [
        operation("Emulator_GetStats", "GET", "/_emulator/stats", get_stats, batch=False),
        operation(
            "Emulator_ResetStats", "POST", "/_emulator/stats/reset", reset_stats, batch=False
        ),
        operation("Emulator_ResetStats", "DELETE", "/_emulator/stats", reset_stats, batch=False),
        operation("Emulator_Reset", "POST", "/_emulator/reset", reset_state, batch=False),
        operation("Emulator_GetFaults", "GET", "/_emulator/faults", get_faults, batch=False),
        operation("Emulator_SetFaults", "POST", "/_emulator/faults", set_faults, batch=False),
        operation(
            "Emulator_AdvanceClock", "POST", "/_emulator/clock/advance", advance_clock, batch=False
        ),
    ]
