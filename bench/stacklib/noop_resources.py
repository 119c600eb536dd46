"""The no-op plugin's resources as a program declares them (``programs/noop*``).

Through a ``CustomResource`` subclass, as every provider SDK declares its resources
(``BatchJob`` too): the Pulumi SDK then sends the engine the program's stack trace with each
registration (the frames above the third ``__init__``), which the engine keeps in every
checkpoint. A bare ``pulumi.CustomResource(...)`` call sends none, a floor no SDK resource
has.
"""

from __future__ import annotations

from typing import Any

import pulumi


class NoopResource(pulumi.CustomResource):
    """A resource of the no-op plugin, declared as a provider SDK declares one."""

    def __init__(self, resource_type: str, resource_name: str, props: dict[str, Any]) -> None:
        super().__init__(resource_type, resource_name, props)
