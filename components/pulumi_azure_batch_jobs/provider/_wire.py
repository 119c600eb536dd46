"""The native resource's wire properties <-> the provider's flat, snake_case properties.

On the wire (state, schema, every Pulumi language) a ``BatchJob``'s properties are camelCase:
the job's specification under its REST keys (``jobReleaseTask.maxWallClockTime``), ``jobId``
for the job's ``id`` (reserved by Pulumi), then the resource settings and the outputs. The
provider core works on attribute-keyed properties (``job_release_task.max_wall_clock_time``,
``job_id``), the form validation and the diff table read. Both directions are derived from
the argument declarations (``BatchJobArgs.fields()``); nothing here lists a job field. A
``BatchJobSchedule``'s form (``SCHEDULE``) is derived the same way from
``BatchJobScheduleArgs`` (``scheduleId``, ``schedule``, ``jobSpecification.jobReleaseTask...``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, cast

from pulumi.runtime.rpc import UNKNOWN

from ..args._fields import Field
from ..args._job import BatchJobArgs
from ..args._model import BatchModel
from ..args._schedule import BatchJobScheduleArgs
from ..validation._errors import ValidationError
from ..validation._values import format_duration
from ._props import (
    FACT_NAMES,
    SCHEDULE_FACT_NAMES,
    SCHEDULE_SETTING_NAMES,
    SETTING_NAMES,
    BatchJobInputs,
    BatchJobState,
)

#: Pulumi's marker of a secret value on the wire (``{SIG: SECRET_SIG, "value": ...}``).
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105 (a marker, not a secret)


def camel_case(name: str) -> str:
    """A provider name's wire name: ``delete_timeout_seconds`` -> ``deleteTimeoutSeconds``."""
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


class WireForm:
    """One resource type's wire names, derived from its argument class (``root``): the
    fields under their REST keys, its id (``id``, reserved by Pulumi) as ``id_name``'s
    camelCase, then the resource settings and the outputs."""

    def __init__(
        self,
        root: type[BatchModel],
        id_name: str,
        setting_names: tuple[str, ...],
        fact_names: tuple[str, ...],
    ) -> None:
        self.root = root
        self.id_name = id_name
        #: Resource properties that are not fields: wire name -> provider name.
        self.settings_wire = {camel_case(name): name for name in setting_names}
        #: What the service reports: wire name -> provider name.
        self.outputs_wire = {camel_case(name): name for name in fact_names}
        spec = {f.rest_key: f.attr for f in root.fields() if f.attr != "id"}
        #: Every top-level property: wire name -> provider name.
        self.to_provider = {**spec, **self.settings_wire, **self.outputs_wire}
        #: Every top-level property: provider name -> wire name.
        self.to_wire_names = {attr: wire for wire, attr in self.to_provider.items()}
        self.spec_fields = {f.attr: f for f in root.fields()}

    def wire_path(self, path: str) -> str:
        """A provider property path as every language's SDK and the schema name it:
        ``job_release_task.max_wall_clock_time`` -> ``jobReleaseTask.maxWallClockTime``,
        ``tasks[2].command_line`` -> ``tasks[2].commandLine``, ``job_id`` (or the job's
        ``id``) -> ``jobId``."""
        parts = []
        model: type[BatchModel] | None = self.root
        for segment in path.split("."):
            match = _SEGMENT.fullmatch(segment)
            assert match is not None  # the pattern matches every string
            name, index = match["name"], match["index"]
            field = next((f for f in model.fields() if f.attr == name), None) if model else None
            if model is self.root and name == "id":
                parts.append(camel_case(self.id_name) + index)  # ``id`` is reserved by Pulumi
                model = None
            elif field is None:
                parts.append(self.to_wire_names.get(name, camel_case(name)) + index)
                model = None  # a setting, or a map's key: nothing below it is declared
            else:
                parts.append(field.rest_key + index)
                model = field.model
        return ".".join(parts)

    def wire_error(self, error: ValidationError) -> ValidationError:
        """``error`` as a program in any language reads it: the property path, and the
        properties its rule names, as the schema names them, and a duration in ISO 8601."""
        value = error.value
        if isinstance(value, timedelta):
            value = format_duration(value)
        return ValidationError(self.wire_path(error.path), wire_text(error.message), value)

    def from_wire(self, properties: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
        """Provider properties from wire properties, and the provider names that held
        secrets. Unknown top-level names are kept as they are (the check reports them)."""
        props: dict[str, Any] = {}
        secrets: set[str] = set()
        for wire, raw in properties.items():
            value, was_secret = reveal(raw)
            name = self.to_provider.get(wire, wire)
            props[name] = _attr_keyed(self.spec_fields.get(name), value)
            if was_secret:
                secrets.add(name)
        return props, secrets

    def to_wire(self, props: Mapping[str, Any], secrets: set[str]) -> dict[str, Any]:
        """Wire properties from provider properties, the ``secrets`` names wrapped again."""
        out: dict[str, Any] = {}
        for name, value in props.items():
            if value is None:
                continue
            wire_value = _rest_keyed(self.spec_fields.get(name), value)
            wire_name = self.to_wire_names.get(name, name)
            out[wire_name] = secret(wire_value) if name in secrets else wire_value
        return out


_SEGMENT = re.compile(r"(?P<name>[^\[]*)(?P<index>.*)")


#: A snake_case word in a rule's text: an attribute name (``job_release_task``).
_ATTR_WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def wire_text(text: str) -> str:
    """A rule's text with the properties it names as the schema names them."""
    return _ATTR_WORD.sub(lambda word: camel_case(word[0]), text)


def is_secret(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get(SIG_KEY) == SECRET_SIG


def secret(value: Any) -> dict[str, Any]:
    return {SIG_KEY: SECRET_SIG, "value": value}


def reveal(value: Any) -> tuple[Any, bool]:
    """``value`` with every secret wrapper removed, and whether it had any."""
    if is_secret(value):
        inner, _ = reveal(value.get("value"))
        return inner, True
    if isinstance(value, Mapping):
        pairs = {k: reveal(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [reveal(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False


def _model_of(field: Field) -> type[BatchModel]:
    assert field.model is not None and issubclass(field.model, BatchModel)
    return field.model


def _attr_keyed(field: Field | None, value: Any) -> Any:
    if field is None or value is None or value == UNKNOWN:
        return value
    if field.kind == "model" and isinstance(value, Mapping):
        return _model_of(field).normalize(value)
    if field.kind == "models" and isinstance(value, list):
        model = _model_of(field)
        return [model.normalize(v) if isinstance(v, Mapping) else v for v in value]
    return value


def _rest_keyed_model(model: type[BatchModel], value: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in model.fields():
        if value.get(field.attr) is not None:
            out[field.rest_key] = _rest_keyed(field, value[field.attr])
    return out


def _rest_keyed(field: Field | None, value: Any) -> Any:
    if field is None or value is None or value == UNKNOWN:
        return value
    if field.kind == "model" and isinstance(value, Mapping):
        return _rest_keyed_model(_model_of(field), value)
    if field.kind == "models" and isinstance(value, list):
        model = _model_of(field)
        return [_rest_keyed_model(model, v) if isinstance(v, Mapping) else v for v in value]
    return value


#: A ``BatchJob``'s wire form; the module's functions below are its.
JOB = WireForm(BatchJobArgs, "job_id", SETTING_NAMES, FACT_NAMES)
#: A ``BatchJobSchedule``'s wire form.
SCHEDULE = WireForm(
    BatchJobScheduleArgs, "schedule_id", SCHEDULE_SETTING_NAMES, SCHEDULE_FACT_NAMES
)
SETTINGS_WIRE = JOB.settings_wire
OUTPUTS_WIRE = JOB.outputs_wire
TO_PROVIDER = JOB.to_provider
TO_WIRE = JOB.to_wire_names
wire_path = JOB.wire_path
wire_error = JOB.wire_error
from_wire = JOB.from_wire
to_wire = JOB.to_wire


def inputs_from_wire(properties: Mapping[str, Any]) -> tuple[BatchJobInputs, set[str]]:
    """:func:`from_wire` for a resource's inputs (``news`` of check, diff, update; create)."""
    props, secrets = from_wire(properties)
    return cast(BatchJobInputs, props), secrets


def state_from_wire(properties: Mapping[str, Any]) -> tuple[BatchJobState, set[str]]:
    """:func:`from_wire` for what a resource recorded (``olds``; read, delete)."""
    props, secrets = from_wire(properties)
    return cast(BatchJobState, props), secrets
