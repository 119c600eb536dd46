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

from ._extractors import (
    DESERIALIZE_EXTRACTORS,
    FROM_DICT_EXTRACTORS,
    KeyExtractor,
    attribute_key_case_insensitive_extractor,
    rest_key_case_insensitive_extractor,
)
from ._values import canonical_enum, coerce_scalar, format_duration, is_unknown, render_value

__all__ = [
    "BatchModel",
    "DeserializationError",
    "Field",
    "KeyTransformer",
    "SerializationError",
    "ValidationError",
    "attribute_transformer",
    "full_restapi_key_transformer",
    "last_restapi_key_transformer",
]

_LOG = logging.getLogger(__name__)

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
        return isinstance(other, ValidationError) and (self.path, self.message, self.value) == (
            other.path,
            other.message,
            other.value,
        )

    def __hash__(self) -> int:
        return hash((self.path, self.message))


# --- msrest's key transformers (for as_dict) ----------------------------------------------------


def attribute_transformer(key: str, attr_desc: Mapping[str, Any], value: Any) -> tuple[Any, Any]:
    """Key by the Python attribute name."""
    return (key, value)


def full_restapi_key_transformer(
    key: str, attr_desc: Mapping[str, Any], value: Any
) -> tuple[Any, Any]:
    """Key by the full REST key path (a list: hierarchical keys)."""
    return (str(attr_desc["key"]).split("."), value)


def last_restapi_key_transformer(
    key: str, attr_desc: Mapping[str, Any], value: Any
) -> tuple[Any, Any]:
    """Key by the last part of the REST key."""
    keys, value = full_restapi_key_transformer(key, attr_desc, value)
    return (keys[-1], value)


# --- field tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One attribute of an argument class.

    ``sdk_attr`` names the azure-batch 15 attribute when it differs from ours; ``rest_key`` is
    given only for REST properties that azure-batch 15 does not model; ``sent`` is False for
    component-only attributes that are not part of the object's REST body (a job's tasks).
    """

    attr: str
    kind: Kind
    type_name: str
    sdk_attr: str | None = None
    rest_key: str | None = None
    model: str | None = None
    enum: type[Enum] | None = None
    sent: bool = True


_MODELS: dict[str, type[BatchModel]] = {}
_SDK_REST_KEYS: dict[type[Any], dict[str, str]] = {}


def _sdk_rest_keys(sdk_model: type[Any]) -> dict[str, str]:
    """Attribute name to REST key, read from the azure-batch 15 model's own field table."""
    if sdk_model not in _SDK_REST_KEYS:
        sdk_model()  # the SDK builds its attribute table on first instantiation
        table: Mapping[str, Any] = sdk_model._attr_to_rest_field
        _SDK_REST_KEYS[sdk_model] = {a: str(f._rest_name) for a, f in table.items()}
    return _SDK_REST_KEYS[sdk_model]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class BatchModel:
    """Base of the argument classes: the seed's (msrest) model methods over azure-batch 15."""

    _sdk_model: ClassVar[type[Any]]
    _fields: ClassVar[tuple[Field, ...]]
    _send_additional_properties: ClassVar[bool] = False
    additional_properties: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _MODELS.setdefault(cls.__name__, cls)  # a user subclass never replaces ours

    def __init__(self, **kwargs: Any) -> None:
        self.additional_properties = {}
        for field in self._fields:
            setattr(self, field.attr, kwargs.pop(field.attr, None))
        for key in kwargs:
            _LOG.warning("%s is not a known attribute of %s and will be ignored", key, type(self))

    # --- plain values ---------------------------------------------------------------------------

    @classmethod
    def rest_key(cls, attr: str) -> str:
        """The REST (wire) key of an attribute, as azure-batch 15 names it."""
        return _rest_key(cls, attr)

    @classmethod
    def _field(cls, attr: str) -> Field:
        return next(f for f in cls._fields if f.attr == attr)

    @classmethod
    def _attr_desc(cls, field: Field) -> dict[str, Any]:
        return {"key": cls.rest_key(field.attr), "type": field.type_name}

    @classmethod
    def normalize(cls, data: Mapping[str, Any]) -> dict[str, Any]:
        """Re-key a mapping (attribute or REST keys, any case) by attribute name, recursively.

        Values are left as they are, unknowns included: this is the form validation reads.
        """
        out: dict[str, Any] = {}
        for field in cls._fields:
            value = attribute_key_case_insensitive_extractor(field.attr, {}, data)
            if value is None:
                value = rest_key_case_insensitive_extractor(field.attr, cls._attr_desc(field), data)
            if value is not None:
                out[field.attr] = _plain_value(field, value)
        return out

    @classmethod
    def unchecked(cls, data: Mapping[str, Any]) -> Self:
        """An instance holding a mapping's values as they are (Outputs kept, nothing parsed)."""
        obj = cls.__new__(cls)
        BatchModel.__init__(obj, **cls.normalize(data))
        return obj

    def to_plain(self) -> dict[str, Any]:
        """This object as an attribute-keyed dict of the values as given (Outputs kept)."""
        return {
            field.attr: _plain_value(field, getattr(self, field.attr))
            for field in self._fields
            if getattr(self, field.attr) is not None
        }

    def to_inputs(self) -> dict[str, Any]:
        """Attribute-keyed resource properties: Outputs kept, durations as ISO 8601 text."""
        out: dict[str, Any] = {}
        for field in self._fields:
            value = getattr(self, field.attr)
            if value is not None:
                out[field.attr] = _input_value(field, value)
        return out

    # --- msrest surface -------------------------------------------------------------------------

    def validate(self) -> list[ValidationError]:
        """Check Batch's documented rules; returns the broken ones, never raises for bad values."""
        return []

    def serialize(self, keep_readonly: bool = False, **kwargs: Any) -> dict[str, Any]:
        """The REST JSON that would be sent to Azure (built by the azure-batch 15 model)."""
        return self._rest(include_local=False)

    def as_dict(
        self,
        keep_readonly: bool = True,
        key_transformer: KeyTransformer = attribute_transformer,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """A JSON-compatible dict keyed by ``key_transformer`` (attribute names by default)."""
        return self._transform(self._rest(include_local=True), key_transformer)

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        key_extractors: Sequence[KeyExtractor] | None = None,
        content_type: str | None = None,
    ) -> Self:
        """Parse a dict with REST or attribute keys, case-insensitively by default."""
        extractors = tuple(key_extractors) if key_extractors is not None else FROM_DICT_EXTRACTORS
        return cls._from_mapping(data, extractors, "")

    @classmethod
    def deserialize(
        cls, data: str | bytes | Mapping[str, Any], content_type: str | None = None
    ) -> Self:
        """Parse REST JSON (text or dict); raises :class:`DeserializationError` if malformed."""
        if isinstance(data, str | bytes):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise DeserializationError(f"not valid JSON: {exc}") from exc
        return cls._from_mapping(data, DESERIALIZE_EXTRACTORS, "")

    @classmethod
    def is_xml_model(cls) -> bool:
        """Always False: Batch speaks JSON."""
        return False

    @classmethod
    def enable_additional_properties_sending(cls) -> None:
        """From now on, ``additional_properties`` are sent with this class's REST JSON."""
        cls._send_additional_properties = True

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, BatchModel)
        return bool(self._comparable() == other._comparable())

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
                value = _coerce(field, value, FROM_DICT_EXTRACTORS, where)
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
                    items = _coerce(field, value, FROM_DICT_EXTRACTORS, field.attr)
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
        descs = [(field, cls._attr_desc(field)) for field in cls._fields]
        for field, desc in descs:
            for extractor in extractors:
                found = extractor(field.attr, desc, data)
                if found is not None:
                    values[field.attr] = _coerce(field, found, extractors, _join(path, field.attr))
                    break
        obj = cls.__new__(cls)
        BatchModel.__init__(obj, **values)
        obj.additional_properties = {
            key: copy.deepcopy(value)
            for key, value in data.items()
            if not _consumed_key(cls, extractors, key)
        }
        return obj


#: Memos of the two lookups ``from_dict`` repeats most; they depend only on their keys.
_REST_KEY_MEMO: dict[tuple[type[BatchModel], str], str] = {}
_CONSUMED_MEMO: dict[tuple[type[BatchModel], tuple[KeyExtractor, ...], Any], bool] = {}
_CONSUMED_MEMO_MAX = 4096


def _rest_key(model: type[BatchModel], attr: str) -> str:
    """``model.rest_key(attr)``, looked up once per class and attribute (a hot path)."""
    memo = _REST_KEY_MEMO.get((model, attr))
    if memo is None:
        field = model._field(attr)
        if field.rest_key is not None:
            memo = field.rest_key
        else:
            memo = _sdk_rest_keys(model._sdk_model)[field.sdk_attr or field.attr]
        _REST_KEY_MEMO[(model, attr)] = memo
    return memo


def _consumed_key(model: type[BatchModel], extractors: tuple[KeyExtractor, ...], key: Any) -> bool:
    """Whether an extractor in use finds ``key`` for a field of ``model``.

    Depends only on the class, the extractors and the key's name, so it is memoised: asking
    every extractor about every field for every key was most of ``from_dict``'s time.
    """
    memo = _CONSUMED_MEMO.get((model, extractors, key))
    if memo is None:
        memo = any(
            extractor(field.attr, model._attr_desc(field), {key: True}) is not None
            for field in model._fields
            for extractor in extractors
        )
        if len(_CONSUMED_MEMO) < _CONSUMED_MEMO_MAX:
            _CONSUMED_MEMO[(model, extractors, key)] = memo
    return memo


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
        if field.kind in ("str", "int", "bool", "strs", "raw"):
            return value
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
        return canonical_enum(field.enum, _scalar("str", value, path))
    return _scalar(kind, value, path)


def _coerce_model(
    model: type[BatchModel], value: Any, extractors: tuple[KeyExtractor, ...], path: str
) -> BatchModel:
    if isinstance(value, model):
        return value
    return model._from_mapping(value, extractors, path)


def _scalar(kind: str, value: Any, path: str) -> Any:
    try:
        return coerce_scalar(kind, value)
    except ValueError as exc:
        raise DeserializationError(f"{path}: {exc}") from None
