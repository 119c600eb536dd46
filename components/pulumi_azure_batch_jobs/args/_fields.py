"""One field of an argument class, read from its class annotation.

An argument class declares each field once, as an annotated class attribute::

    max_wall_clock_time: Annotated[pulumi.Input[timedelta] | None, Doc("at most 15 minutes")] = None

The type says the field's kind (text, integer, boolean, duration, a nested argument class or a
list of them, REST JSON), a default of ``None`` makes it optional, and :class:`Doc` adds what
the type cannot: the rule text, the msrest type name, an enum, a REST key the SDK lacks,
secret-ness. REST keys come from the azure-batch 15 model through its public API.

Deriving is done once, by ``_fieldgen``, into the committed ``_fieldtable``; a class reads its
rows from there (``table_fields``) and is derived at import only when it has none.
"""

from __future__ import annotations

import collections.abc
import types
import typing
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Literal

import pulumi

__all__ = ["Doc", "Field", "Kind", "Row", "read_fields", "sdk_rest_key", "table_fields"]

Kind = Literal[
    "str", "int", "bool", "duration", "datetime", "enum", "model", "models", "strs", "raw"
]
#: A field in ``_fieldtable``: attr, kind, type name, required, REST key, nested class name,
#: enum name, SDK attribute, sent, secret, rules.
Row = tuple[str, Kind, str, bool, str, str | None, str | None, str | None, bool, bool, str]


@dataclass(frozen=True)
class Doc:
    """What a field's type does not say (``Annotated`` metadata).

    ``type_name`` is the msrest type name (``attr_desc["type"]``) of an enum or REST JSON
    field; ``sdk_attr`` names the azure-batch 15 attribute when it differs; ``rest_key`` is
    given only for REST properties azure-batch 15 does not model; ``sent`` is False for a
    field that is not part of the object's REST body (a job's initial tasks).
    """

    rules: str = ""
    enum: type[Enum] | None = None
    type_name: str | None = None
    sdk_attr: str | None = None
    rest_key: str | None = None
    sent: bool = True
    secret: bool = False


@dataclass(frozen=True)
class Field:
    """A field as the model machinery uses it: derived from the declaration, never written."""

    attr: str
    kind: Kind
    type_name: str
    required: bool
    rest_key: str
    model: type[Any] | None = None
    enum: type[Enum] | None = None
    sdk_attr: str | None = None
    sent: bool = True
    secret: bool = False
    rules: str = ""


#: ``pulumi.Input[X]`` is ``X | Awaitable[X] | "Output[T]"``: that forward reference is
#: resolved with these names (and tells nothing more than ``X``).
_INPUT_NAMES = {"Output": pulumi.Output, "T": typing.TypeVar("T")}
_SCALARS: dict[Any, Kind] = {
    bool: "bool",
    int: "int",
    datetime: "datetime",
    str: "str",
    timedelta: "duration",
}
_SEQUENCES = (list, collections.abc.Sequence)
_MAPPINGS = (dict, collections.abc.Mapping)


def _leaves(tp: Any) -> list[Any]:
    """The types a value of ``tp`` may be, through ``Input`` (Output, Awaitable) and unions."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _leaves(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [leaf for arg in typing.get_args(tp) for leaf in _leaves(arg)]
    if origin in (pulumi.Output, collections.abc.Awaitable):
        return _leaves(typing.get_args(tp)[0])
    return [] if tp is type(None) else [tp]


def _docs(tp: Any) -> list[Doc]:
    """The :class:`Doc` s of a type, outermost first (also inside ``X | None``)."""
    found = [m for m in getattr(tp, "__metadata__", ()) if isinstance(m, Doc)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        found += [doc for arg in typing.get_args(tp) for doc in _docs(arg)]
    return found


def _kind(tp: Any, is_model: typing.Callable[[Any], bool]) -> tuple[Kind, type[Any] | None]:
    leaves = _leaves(tp)
    for leaf in leaves:
        if typing.get_origin(leaf) in _SEQUENCES:
            inner, model = _kind(typing.get_args(leaf)[0], is_model)
            many: dict[str, Kind] = {"model": "models", "str": "strs", "raw": "raw"}
            return many[inner], model
    for leaf in leaves:
        if is_model(leaf):
            return "model", leaf
    for leaf in leaves:
        if leaf in _MAPPINGS or typing.get_origin(leaf) in _MAPPINGS:
            return "raw", None
    for scalar, kind in _SCALARS.items():
        if scalar in leaves:
            return kind, None
    raise TypeError(f"no field kind for {tp!r}")


def _type_name(kind: Kind, model: type[Any] | None, doc: Doc) -> str:
    if doc.type_name:
        return doc.type_name
    if kind == "enum" and doc.enum is not None:
        return doc.enum.__name__.removeprefix("Batch")
    if kind == "model" and model is not None:
        return model.__name__
    if kind == "models" and model is not None:
        return f"[{model.__name__}]"
    return {"strs": "[str]", "datetime": "iso-8601"}.get(kind, kind)


def sdk_rest_key(sdk_model: type[Any], sdk_attr: str) -> str:
    """The REST key azure-batch 15 sends an attribute under (its public ``as_dict``)."""
    keys = list(sdk_model(**{sdk_attr: {}}).as_dict())
    if len(keys) != 1:
        raise TypeError(f"{sdk_model.__name__}.{sdk_attr}: no single REST key ({keys})")
    return str(keys[0])


def read_fields(
    cls: type[Any], sdk_model: type[Any], is_model: typing.Callable[[Any], bool]
) -> tuple[Field, ...]:
    """The fields a class declares (its own annotations, in order), with everything derived."""
    hints = typing.get_type_hints(cls, localns=_INPUT_NAMES, include_extras=True)
    fields: list[Field] = []
    for attr in cls.__annotations__:
        if attr.startswith("_") or typing.get_origin(hints[attr]) is typing.ClassVar:
            continue
        tp = hints[attr]
        docs = _docs(tp)
        doc = docs[0] if docs else Doc()
        kind, model = _kind(tp, is_model)
        if doc.enum is not None:
            kind = "enum"
        sdk_attr = doc.sdk_attr or attr
        fields.append(
            Field(
                attr=attr,
                kind=kind,
                type_name=_type_name(kind, model, doc),
                required=not hasattr(cls, attr),
                rest_key=doc.rest_key or sdk_rest_key(sdk_model, sdk_attr),
                model=model,
                enum=doc.enum,
                sdk_attr=doc.sdk_attr,
                sent=doc.sent,
                secret=doc.secret,
                rules=doc.rules,
            )
        )
    return tuple(fields)


def table_fields(
    cls: type[Any],
    rows: tuple[Row, ...],
    models: typing.Mapping[str, type[Any]],
    enums: typing.Mapping[str, type[Enum]],
) -> tuple[Field, ...] | None:
    """The fields of ``rows``, nested classes and enums looked up by name; None when the rows
    do not match the class's declared attributes and defaults (a stale table)."""
    declared = [a for a in cls.__annotations__ if not a.startswith("_")]
    if [r[0] for r in rows] != declared or any(r[3] == hasattr(cls, r[0]) for r in rows):
        return None
    fields = []
    for row in rows:
        model, enum = row[5], row[6]
        if (model is not None and model not in models) or (enum is not None and enum not in enums):
            return None
        fields.append(
            Field(
                attr=row[0],
                kind=row[1],
                type_name=row[2],
                required=row[3],
                rest_key=row[4],
                model=models[model] if model is not None else None,
                enum=enums[enum] if enum is not None else None,
                sdk_attr=row[7],
                sent=row[8],
                secret=row[9],
                rules=row[10],
            )
        )
    return tuple(fields)
