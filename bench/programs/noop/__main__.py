"""N resources of the no-op native plugin (``stacklib/noop_plugin.py``) with the same
inputs as the jobs stack, as ``BatchJob`` sends them: the engine's floor.

Each is declared through a ``CustomResource`` subclass, as every provider SDK declares its
resources (``BatchJob`` too): the Pulumi SDK then sends the engine the program's stack
trace with each registration, which the engine keeps in every checkpoint. A bare
``pulumi.CustomResource(...)`` call sends none, a floor no SDK resource has.
"""

from __future__ import annotations

from typing import Any

import pulumi
from noop_plugin import RESOURCE_TYPE
from spec import configured_specs, wire_properties


class Noop(pulumi.CustomResource):
    """A no-op resource, declared as a provider SDK declares one."""

    def __init__(self, resource_name: str, props: dict[str, Any]) -> None:
        super().__init__(RESOURCE_TYPE, resource_name, props)


for i, spec in enumerate(configured_specs()):
    Noop(f"job-{i}", wire_properties(spec))
