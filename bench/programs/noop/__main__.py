"""N no-op dynamic resources with the same inputs as the jobs stack: the engine's floor.

Each resource sits under a ``ComponentResource`` like ``BatchJob``'s, and its provider
(an importable module, pickled by reference like ``BatchJobProvider``) does nothing.
"""

from __future__ import annotations

from noop_provider import NoopJob
from spec import configured_specs

for i, spec in enumerate(configured_specs()):
    NoopJob(f"job-{i}", spec)
