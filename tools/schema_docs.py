"""Render the plugin's schema as ``docs/api-reference.md``: the reference in the schema's
names (camelCase, as TypeScript, YAML and Go programs write them).

    .venv/bin/python tools/schema_docs.py          # rewrite docs/api-reference.md
    .venv/bin/python tools/schema_docs.py --check  # exit 1 when it differs from the schema
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pulumi_azure_batch_jobs.provider._schema import package_schema

TARGET = Path(__file__).resolve().parent.parent / "docs" / "api-reference.md"
HEADER = """# API reference (every language)

Generated from the provider's schema by `tools/schema_docs.py`; do not edit. Property names
are the schema's, as TypeScript, YAML and Go programs write them (Go capitalises the first
letter); Python's arguments are their snake_case forms ([reference.md](reference.md)).
"""


def _type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return f"`{spec['$ref'].rsplit(':', 1)[-1].rsplit('/', 1)[-1]}`"
    if spec.get("type") == "array":
        return f"list of {_type(spec['items'])}"
    return f"`{spec.get('type', 'any')}`"


def _table(properties: dict[str, Any], required: list[str]) -> list[str]:
    rows = ["| property | type | description |", "| --- | --- | --- |"]
    for name, spec in properties.items():
        notes = [
            *(["required"] if name in required else []),
            *(["secret"] if spec.get("secret") else []),
        ]
        flags = f" ({', '.join(notes)})" if notes else ""
        description = " ".join(spec.get("description", "").split()).replace("|", "\\|")
        rows.append(f"| `{name}` | {_type(spec)}{flags} | {description} |")
    return rows


def render() -> str:
    """The document, from the schema."""
    schema = package_schema("0.0.0")
    lines = [HEADER]
    for token, resource in schema["resources"].items():
        lines += [f"## `{token}`", "", resource["description"], "", "### Inputs", ""]
        lines += _table(resource["inputProperties"], resource.get("requiredInputs", []))
        outputs = {
            k: v for k, v in resource["properties"].items() if k not in resource["inputProperties"]
        }
        lines += ["", "### Outputs (besides the inputs)", "", *_table(outputs, []), ""]
    lines += ["## Provider configuration", "", *_table(schema["config"]["variables"], []), ""]
    lines += ["## Types", ""]
    for token, spec in sorted(schema["types"].items()):
        name = token.rsplit(":", 1)[-1]
        if "enum" in spec:
            values = ", ".join(f"`{member['value']}`" for member in spec["enum"])
            lines += [f"### enum `{name}`", "", f"One of {values}.", ""]
        else:
            lines += [f"### type `{name}`", "", spec.get("description", ""), ""]
            lines += [*_table(spec["properties"], spec.get("required", [])), ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        if TARGET.read_text() != render():
            print(
                f"{TARGET.name} differs from the schema; run tools/schema_docs.py", file=sys.stderr
            )
            return 1
        return 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    TARGET.write_text(render())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
