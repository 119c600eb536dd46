"""N resources of the no-op native plugin (``stacklib/noop_plugin.py``) with the same
inputs as the jobs stack, as ``BatchJob`` sends them: the engine's floor."""

from __future__ import annotations

import pulumi
from noop_plugin import RESOURCE_TYPE
from spec import configured_specs, wire_properties

for i, spec in enumerate(configured_specs()):
    pulumi.CustomResource(RESOURCE_TYPE, f"job-{i}", wire_properties(spec))
