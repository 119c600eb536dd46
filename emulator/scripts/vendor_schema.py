"""Vendor what the emulator takes from the Batch REST spec (``BatchService.json`` of API
version 2025-06-01, given as the argument).

Run from the repository root:
    python emulator/scripts/vendor_schema.py <spec dir>/BatchService.json
It writes ``batch_emulator/service/_schema.json``: only the definitions reachable from the
request bodies the emulator accepts, with only the keywords the validator reads; and
``batch_emulator/api/_operations.json``: every operation's HTTP method and path template.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOTS = [
    "BatchJobCreateOptions",
    "BatchJob",
    "BatchJobUpdateOptions",
    "BatchJobTerminateOptions",
    "BatchJobDisableOptions",
    "BatchJobScheduleCreateOptions",
    "BatchJobSchedule",
    "BatchJobScheduleUpdateOptions",
    "BatchTaskCreateOptions",
    "BatchTaskGroup",
    "BatchTask",
    "BatchPoolCreateOptions",
    "BatchPoolUpdateOptions",
    "BatchPoolReplaceOptions",
    "BatchPoolResizeOptions",
    "BatchNodeRebootOptions",
    "BatchNodeReimageOptions",
]
KEEP = {"type", "format", "enum", "required", "properties", "items", "$ref", "readOnly"}


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _trim(node: Any, todo: list[str]) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "allOf" and isinstance(value, list) and len(value) == 1:
                out["$ref"] = _ref_name(value[0]["$ref"])
                todo.append(out["$ref"])
            elif key == "$ref":
                out["$ref"] = _ref_name(value)
                todo.append(out["$ref"])
            elif key == "properties":
                out["properties"] = {k: _trim(v, todo) for k, v in value.items()}
            elif key in KEEP:
                out[key] = _trim(value, todo) if key == "items" else value
        return out
    return node


def operations(spec: dict[str, Any]) -> dict[str, list[str]]:
    """operationId -> [HTTP method, path template] of every operation in the spec."""
    out: dict[str, list[str]] = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                out[op["operationId"]] = [method.upper(), path]
    return dict(sorted(out.items()))


def definitions(spec: dict[str, Any]) -> dict[str, Any]:
    """The trimmed definitions reachable from ``ROOTS``, by name."""
    defs = spec["definitions"]
    todo = list(ROOTS)
    out: dict[str, Any] = {}
    while todo:
        name = todo.pop()
        if name in out:
            continue
        out[name] = _trim(defs[name], todo)
    return dict(sorted(out.items()))


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    package = Path(__file__).resolve().parents[1] / "batch_emulator"
    defs = definitions(spec)
    target = package / "service" / "_schema.json"
    target.write_text(json.dumps(defs, separators=(",", ":")) + "\n")
    print(f"wrote {len(defs)} definitions to {target}")
    ops = operations(spec)
    lines = [f"  {json.dumps(name)}: {json.dumps(op)}" for name, op in ops.items()]
    target = package / "api" / "_operations.json"
    target.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    print(f"wrote {len(ops)} operations to {target}")


if __name__ == "__main__":
    main()
