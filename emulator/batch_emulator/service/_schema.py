"""Structural validation of request bodies against the vendored REST spec definitions.

The definitions come from ``BatchService.json`` (see ``emulator/scripts/vendor_schema.py``):
required properties, JSON types, enums (case-insensitive, as the service accepts them),
durations and date-times. Properties the spec does not define are kept as sent (the
spec's own examples use properties newer than the spec); read-only ones are ignored.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from batch_emulator.clock import parse_duration
from batch_emulator.errors import (
    invalid_body,
    invalid_property,
    missing_property,
)

__all__ = ["check_body"]


@cache
def _definitions() -> dict[str, Any]:
    text = resources.files("batch_emulator.service").joinpath("_schema.json").read_text()
    return dict(json.loads(text))


def check_body(body: object, definition: str) -> dict[str, Any]:
    """Validate ``body`` against a spec definition; return it with nulls dropped."""
    if not isinstance(body, dict):
        raise invalid_body(f"The request body must be a JSON object of type {definition}.")
    result = _check_object(body, _definitions()[definition], definition, "")
    assert isinstance(result, dict)
    return result


def _resolve(schema: dict[str, Any]) -> tuple[dict[str, Any], str]:
    name = ""
    while "$ref" in schema:
        name = str(schema["$ref"])
        schema = _definitions()[name]
    return schema, name


def _check_object(value: dict[str, Any], schema: dict[str, Any], name: str, path: str) -> Any:
    props: dict[str, Any] = schema.get("properties", {})
    lowered = {k.lower(): k for k in props}
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key.startswith(("odata.", "@odata.")):
            continue  # OData annotations, e.g. a fetched resource sent back
        canonical = lowered.get(key.lower())
        if canonical is None:
            # Newer than this spec (its own examples carry such properties): keep as sent.
            out[key] = item
            continue
        sub = props[canonical]
        if sub.get("readOnly") or item is None:
            continue
        out[canonical] = _check(item, sub, _join(path, canonical))
    for req in schema.get("required", []):
        if req not in out and not props.get(req, {}).get("readOnly"):
            raise missing_property(_join(path, req))
    return out


def _check(value: Any, schema: dict[str, Any], path: str) -> Any:
    schema, name = _resolve(schema)
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "object":
        if not isinstance(value, dict):
            raise invalid_property(path, value, "The value must be a JSON object.")
        if "properties" not in schema:
            return value
        return _check_object(value, schema, name, path)
    if kind == "array":
        if not isinstance(value, list):
            raise invalid_property(path, value, "The value must be a JSON array.")
        items = schema.get("items", {})
        return [_check(v, items, f"{path}[{i}]") for i, v in enumerate(value) if v is not None]
    if kind == "string":
        return _check_string(value, schema, path)
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid_property(path, value, "The value must be an integer.")
        limit = 2**31 if schema.get("format") == "int32" else 2**63
        if not -limit <= value < limit:
            raise invalid_property(path, value, "The value is out of range.")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise invalid_property(path, value, "The value must be a number.")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise invalid_property(path, value, "The value must be a boolean.")
        return value
    return value


def _check_string(value: Any, schema: dict[str, Any], path: str) -> str:
    if not isinstance(value, str):
        raise invalid_property(path, value, "The value must be a string.")
    enum = schema.get("enum")
    if enum:
        for allowed in enum:
            if value.lower() == str(allowed).lower():
                return str(allowed)
        raise invalid_property(path, value, f"The value must be one of: {', '.join(enum)}.")
    fmt = schema.get("format")
    if fmt == "duration" and parse_duration(value) is None:
        raise invalid_property(path, value, "The value is not a valid ISO 8601 duration.")
    if fmt == "date-time":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise invalid_property(path, value, "The value is not a valid date-time.") from None
    return value


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
