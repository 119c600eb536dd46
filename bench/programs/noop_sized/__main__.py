"""N resources of the no-op native plugin's sized type: the inputs of the jobs stack, and
a check and create that add what ``BatchJob``'s provider adds to a job's properties, so
each state entry is the size of a job's. Against the no-op stack it measures what the
engine spends on a job's larger state; against the jobs stack, what the provider's and
the emulator's work add."""

from __future__ import annotations

from noop_plugin import SIZED_RESOURCE_TYPE
from noop_resources import NoopResource
from spec import configured_specs, wire_properties

for i, spec in enumerate(configured_specs()):
    NoopResource(SIZED_RESOURCE_TYPE, f"job-{i}", wire_properties(spec))
