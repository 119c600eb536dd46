"""The msrest-compatible model surface shared by every argument type.

Each argument class declares a table of :class:`Field` s naming its attributes (the seed's
snake_case names) and the azure-batch 15 model it maps to. REST keys come from that SDK model
and REST JSON is produced by it (``serialize``), so no camelCase is written here; ``as_dict``
re-keys that JSON with a key transformer exactly as msrest does.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any, ClassVar, Literal, Self

import pulumi

from ._values import format_duration, is_unknown, parse_duration, render_value

__all__ = [
    "BatchModel",
    "DeserializationError",
    "Field",
    "KeyExtractor",
    "KeyTransformer",
    "SerializationError",
    "ValidationError",
    "attribute_key_case_insensitive_extractor",
    "attribute_key_extractor",
    "attribute_transformer",
    "full_restapi_key_transformer",
    "last_rest_key_case_insensitive_extractor",
    "last_rest_key_extractor",
    "last_restapi_key_transformer",
    "rest_key_case_insensitive_extractor",
    "rest_key_extractor",
]

_LOG = logging.getLogger(__name__)

KeyExtractor = Callable[[str, Mapping[str, Any], Mapping[str, Any]], Any]
KeyTransformer = Callable[[str, Mapping[str, Any], Any], tuple[Any, Any]]
Kind = Literal["str", "int", "bool", "duration", "enum", "model", "models", "strs", "raw"]


class DeserializationError(ValueError):
    """Input data (REST JSON or a dict) cannot be turned into an argument object."""


class SerializationError(ValueError):
    """An argument object cannot be turned into REST JSON (a value is unknown or malformed)."""


class ValidationError(ValueError):
    """One broken rule: ``<path>: <message> (got <value>)``."""

    def __init__(self, path: str, message: str, value: Any = None) -> None:
        self.path = path
        self.message = message
        self.value = value
        super().__init__(str(self))

    def __str__(self) -> str:
        prefix = f"{self.path}: " if self.path else ""
        return f"{prefix}{self.message} (got {render_value(self.value)})"

    def __repr__(self) -> str:
        return f"ValidationError({self.path!r}, {self.message!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, BatchModel)
        return self._comparable() == other._comparable()

    def _comparable(self) -> Any:
        try:
            return (self._rest(include_local=True, extra=True), None)
        except (SerializationError, DeserializationError):
            return (self.to_plain(), self.additional_properties)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.to_plain().items())
        return f"{type(self).__name__}({args})"

    # --- internals ------------------------------------------------------------------------------

    def to_sdk(self, path: str = "", *, extra: bool = False) -> Any:
        """The equivalent azure-batch 15 model; SerializationError if a value is unusable.

        ``extra`` also sends ``additional_properties`` at every level (lossless round trips).
        """
        kwargs: dict[str, Any] = {}
        wire: dict[str, Any] = {}
        for field in self._fields:
            value = getattr(self, field.attr)
            if value is None or not field.sent:
                continue
            where = _join(path, field.attr)
            if is_unknown(value):
                raise SerializationError(f"{where}: the value is not known yet")
            try:
                value = _coerce(field, value, _FROM_DICT_EXTRACTORS, where)
            except DeserializationError as exc:
                raise SerializationError(str(exc)) from exc
            if field.kind == "model":
                kwargs[field.sdk_attr or field.attr] = value.to_sdk(where, extra=extra)
            elif field.kind == "models":
                kwargs[field.sdk_attr or field.attr] = [
                    item.to_sdk(f"{where}[{i}]", extra=extra) for i, item in enumerate(value)
                ]
            elif field.kind == "duration":
                wire[self.rest_key(field.attr)] = format_duration(value)
            elif field.kind == "raw" or field.rest_key is not None:
                wire[self.rest_key(field.attr)] = value
            else:
                kwargs[field.sdk_attr or field.attr] = value
        model = self._sdk_model(**kwargs)
        if extra or self._send_additional_properties:
            wire = {**copy.deepcopy(self.additional_properties), **wire}
        for key, value in wire.items():
            model[key] = value
        return model

    def _rest(self, include_local: bool, extra: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = self.to_sdk(extra=extra).as_dict()
        if include_local:
            for field in self._fields:
                value = getattr(self, field.attr)
                if field.sent or value is None:
                    continue
                if is_unknown(value):
                    raise SerializationError(f"{field.attr}: the value is not known yet")
                try:
                    items = _coerce(field, value, _FROM_DICT_EXTRACTORS, field.attr)
                except DeserializationError as exc:
                    raise SerializationError(str(exc)) from exc
                body[self.rest_key(field.attr)] = [item._rest(True, extra) for item in items]
        return body

    @classmethod
    def _transform(cls, rest: Mapping[str, Any], transformer: KeyTransformer) -> dict[str, Any]:
        out: dict[str, Any] = {}
        consumed: set[str] = set()
        for field in cls._fields:
            key = cls.rest_key(field.attr)
            if key not in rest:
                continue
            consumed.add(key)
            value = rest[key]
            if field.kind == "model" and field.model:
                value = _MODELS[field.model]._transform(value, transformer)
            elif field.kind == "models" and field.model:
                value = [_MODELS[field.model]._transform(item, transformer) for item in value]
            new_key, value = transformer(field.attr, cls._attr_desc(field), value)
            _insert(out, new_key, value)
        if cls._send_additional_properties:
            out.update({k: v for k, v in rest.items() if k not in consumed})
        return out

    @classmethod
    def _from_mapping(cls, data: Any, extractors: tuple[KeyExtractor, ...], path: str) -> Self:
        if not isinstance(data, Mapping):
            where = path or cls.__name__
            raise DeserializationError(
                f"{where}: expected an object, got {type(data).__name__} {render_value(data)}"
            )
        values: dict[str, Any] = {}
        known: set[str] = set()
        for field in cls._fields:
            desc = cls._attr_desc(field)
            known.update({field.attr.lower(), str(desc["key"]).lower()})
            for extractor in extractors:
                found = extractor(field.attr, desc, data)
                if found is not None:
                    where = _join(path, field.attr)
                    values[field.attr] = _coerce(field, found, extractors, where)
                    break
        obj = cls.__new__(cls)
        BatchModel.__init__(obj, **values)
        obj.additional_properties = {
            k: copy.deepcopy(v) for k, v in data.items() if str(k).lower() not in known
        }
        return obj


def _insert(out: dict[str, Any], key: Any, value: Any) -> None:
    if isinstance(key, list):
        for part in key[:-1]:
            out = out.setdefault(part, {})
        key = key[-1]
    out[key] = value


def _nested(field: Field) -> type[BatchModel]:
    assert field.model is not None
    return _MODELS[field.model]


def _plain_value(field: Field, value: Any) -> Any:
    """Nested argument objects and mappings as attribute-keyed dicts; everything else as is."""
    if field.kind == "model":
        return _plain_model(_nested(field), value)
    if field.kind == "models" and isinstance(value, list | tuple):
        return [_plain_model(_nested(field), item) for item in value]
    return value


def _plain_model(model: type[BatchModel], value: Any) -> Any:
    if isinstance(value, BatchModel):
        return value.to_plain()
    if isinstance(value, Mapping) and not is_unknown(value):
        return model.normalize(value)
    return value


def _input_value(field: Field, value: Any) -> Any:
    if isinstance(value, pulumi.Output):
        return value.apply(lambda resolved: _input_value(field, resolved))
    if field.kind in ("model", "models"):
        model = _nested(field)
        if isinstance(value, list | tuple):
            return [
                _input_value(Field(field.attr, "model", "", model=field.model), v) for v in value
            ]
        if isinstance(value, Mapping):
            value = model.unchecked(value)
        return value.to_inputs() if isinstance(value, BatchModel) else value
    if field.kind == "duration" and isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _coerce(field: Field, value: Any, extractors: tuple[KeyExtractor, ...], path: str) -> Any:
    """A value of the field's type from REST/attribute data, or DeserializationError."""
    if is_unknown(value):
        raise DeserializationError(f"{path}: the value is not known yet")
    kind = field.kind
    if kind in ("model", "models"):
        model = _nested(field)
        if kind == "models":
            if not isinstance(value, list | tuple):
                raise DeserializationError(f"{path}: expected a list, got {render_value(value)}")
            return [
                _coerce_model(model, v, extractors, f"{path}[{i}]") for i, v in enumerate(value)
            ]
        return _coerce_model(model, value, extractors, path)
    if kind == "strs":
        if not isinstance(value, list | tuple):
            raise DeserializationError(f"{path}: expected a list, got {render_value(value)}")
        return [_scalar("str", v, f"{path}[{i}]") for i, v in enumerate(value)]
    if kind == "raw":
        return copy.deepcopy(value)
    if kind == "enum":
        if isinstance(value, Enum):
            value = value.value
        return _canonical_enum(field.enum, _scalar("str", value, path))
    return _scalar(kind, value, path)


def _coerce_model(
    model: type[BatchModel], value: Any, extractors: tuple[KeyExtractor, ...], path: str
) -> BatchModel:
    if isinstance(value, model):
        return value
    return model._from_mapping(value, extractors, path)


def _scalar(kind: str, value: Any, path: str) -> Any:
    bad = DeserializationError(f"{path}: expected {_KIND_WORDS[kind]}, got {render_value(value)}")
    if kind == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float):
            return str(value)
        raise bad
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                raise bad from None
        raise bad
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if value in (0, 1) and isinstance(value, int):
            return bool(value)
        raise bad
    if kind == "duration":
        try:
            return parse_duration(value)
        except ValueError as exc:
            raise DeserializationError(f"{path}: {exc}") from None
    raise AssertionError(kind)


_KIND_WORDS = {
    "str": "a string",
    "int": "an integer",
    "bool": "true or false",
    "duration": "an ISO 8601 duration",
}
