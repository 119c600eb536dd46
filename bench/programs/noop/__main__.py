"""N resources of the no-op native plugin (``stacklib/noop_plugin.py``) with the same
inputs as the jobs stack, as ``BatchJob`` sends them: the engine's floor."""

from __future__ import annotations

from noop_plugin import RESOURCE_TYPE
from noop_resources import NoopResource
from spec import configured_specs, wire_properties

for i, spec in enumerate(configured_specs()):
    NoopResource(RESOURCE_TYPE, f"job-{i}", wire_properties(spec))
