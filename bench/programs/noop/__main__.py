"""N no-op dynamic resources with the same inputs as the jobs stack: the engine's floor.

Each resource sits under a ``ComponentResource`` like ``BatchJob``'s, and its provider
(an importable module, pickled by reference like ``BatchJobProvider``) does nothing.
"""

from __future__ import annotations

import pulumi
from noop_provider import NoopJob
from spec import job_spec

config = pulumi.Config()
count = config.require_int("count")
tasks = config.get_int("tasks") or 0
release_seconds = config.get_float("release_seconds") or 0.0
prefix = config.get("prefix") or "bench"

for i in range(count):
    NoopJob(f"job-{i}", job_spec(f"{prefix}-{i}", tasks, release_seconds))
