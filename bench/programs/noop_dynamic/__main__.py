"""N no-op dynamic resources with the same inputs as the jobs stack: the floor of a
Python dynamic provider (the mechanism ``BatchJob`` used before the native plugin)."""

from __future__ import annotations

from noop_provider import NoopJob
from spec import configured_specs

for i, spec in enumerate(configured_specs()):
    NoopJob(f"job-{i}", spec)
