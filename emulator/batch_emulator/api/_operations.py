"""The Batch REST operations' HTTP methods and paths, as the spec gives them.

``_operations.json`` is vendored from the spec by ``emulator/scripts/vendor_schema.py``
(operationId -> [method, path template]); routes name an operation and get the rest here.
"""

from __future__ import annotations

import json
import re
from importlib import resources

__all__ = ["OPERATIONS", "route_path"]


def route_path(template: str) -> str:
    """A spec path template as a Starlette path: ``{jobId}`` -> ``{job_id}``, and a file
    path may hold slashes (``{filePath}`` -> ``{file_path:path}``)."""

    def parameter(match: re.Match[str]) -> str:
        name = re.sub(r"(?<!^)([A-Z])", r"_\1", match.group(1)).lower()
        return "{" + name + (":path" if name == "file_path" else "") + "}"

    return re.sub(r"\{(\w+)\}", parameter, template)


def _load() -> dict[str, tuple[str, str]]:
    text = resources.files("batch_emulator.api").joinpath("_operations.json").read_text()
    return {name: (method, route_path(path)) for name, (method, path) in json.loads(text).items()}


#: operationId -> (HTTP method, Starlette path) of every operation in the spec.
OPERATIONS = _load()
