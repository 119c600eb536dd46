"""HTTP routes of the emulator: the Batch API, the token authority and admin endpoints."""

from __future__ import annotations

from starlette.routing import Route

from batch_emulator.api import admin, fallback, files, identity, jobs, pools, schedules, tasks
from batch_emulator.api._http import SUPPORTED_API_VERSIONS, Env

__all__ = ["SUPPORTED_API_VERSIONS", "Env", "all_routes"]


def all_routes() -> list[Route]:
    """Every route, most specific first; the fallback answers the rest."""
    return [
        *admin.routes(),
        *jobs.routes(),
        *schedules.routes(),
        *tasks.routes(),
        *files.routes(),
        *pools.routes(),
        *identity.routes(),
        *fallback.routes(),
    ]
