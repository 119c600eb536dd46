"""The package's name and its resources' type tokens: all a program needs of the schema, so
importing ``BatchJob`` does not build the schema or import azure-core."""

from __future__ import annotations

from ..core._connection import CONFIG_NAMESPACE

PACKAGE = CONFIG_NAMESPACE
RESOURCE = f"{PACKAGE}:index:BatchJob"
SCHEDULE_RESOURCE = f"{PACKAGE}:index:BatchJobSchedule"
