"""Vendor the request-body schemas the emulator validates from the Batch REST spec.

Run from the repository root:
    python emulator/scripts/vendor_schema.py ../shared/batch-rest-api/2025-06-01/BatchService.json
It writes ``batch_emulator/service/_schema.json``: only the definitions reachable from the
request bodies the emulator accepts, with only the keywords the validator reads.
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


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    defs = spec["definitions"]
    todo = list(ROOTS)
    out: dict[str, Any] = {}
    while todo:
        name = todo.pop()
        if name in out:
            continue
        out[name] = _trim(defs[name], todo)
    target = Path(__file__).resolve().parents[1] / "batch_emulator" / "service" / "_schema.json"
    target.write_text(json.dumps(dict(sorted(out.items())), separators=(",", ":")) + "\n")
    print(f"wrote {len(out)} definitions to {target}")


if __name__ == "__main__":
    main()
