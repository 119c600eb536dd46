"""The msrest-compatible model surface shared by every argument class.

An argument class declares its fields as annotated class attributes (see ``_fields``) and
names its azure-batch 15 model (the class, or its name in ``azure.batch.models``, imported
only when a model is built) and its validator in the class statement::

    class EnvironmentSetting(BatchModel, sdk="EnvironmentSetting", rules=validate_env):
        name: pulumi.Input[str]
        value: pulumi.Input[str] | None = None

From that, the class gets its keyword-only constructor (typed for mypy through
``dataclass_transform``, checked at run time), its REST mapping (REST JSON is produced by the
SDK model, so no camelCase is written here), ``validate`` and the seed's msrest methods;
``as_dict`` re-keys the JSON with a key transformer exactly as msrest does.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Self, dataclass_transform

import pulumi

from ..validation import _enums
from ..validation._errors import ValidationError
from ..validation._values import (
    canonical_enum,
    coerce_scalar,
    format_datetime,
    format_duration,
    is_unknown,
    render_value,
)
from ._errors import DeserializationError, SerializationError, UnknownArgumentError
from ._fields import Field, read_fields, table_fields
from ._fieldtable import FIELDS
from ._keys import (
    DESERIALIZE_EXTRACTORS,
    FROM_DICT_EXTRACTORS,
    KeyExtractor,
    KeyTransformer,
    attribute_transformer,
)

__all__ = ["BatchModel", "Rules"]

#: A validator: appends the broken rules of an attribute-keyed value found at a path.
Rules = Callable[[list[ValidationError], str, Any], object]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@dataclass_transform(kw_only_default=True)
class BatchModel:
    """Base of the argument classes: the seed's (msrest) model methods over azure-batch 15."""

    _sdk: ClassVar[type[Any] | str]
    _fields: ClassVar[tuple[Field, ...]] = ()
    _rules: ClassVar[tuple[Rules, ...]] = ()
    #: Per field, the lower-cased names ``from_dict``'s extractors look for, in their order:
    #: attribute, REST key, last part of the REST key.
    _folded_names: ClassVar[tuple[tuple[Field, tuple[str, str, str]], ...]] = ()
    #: Each of those names -> the positions in ``_folded_names`` of the fields it names.
    _positions: ClassVar[dict[str, tuple[int, ...]]] = {}
    _send_additional_properties: ClassVar[bool] = False
    #: Names the class refuses with a reason (lower-cased): a field of a similar class it
    #: does not have, such as a job schedule's job specification's ``tasks``.
    _refused: ClassVar[dict[str, str]] = {}
    additional_properties: dict[str, Any]

    def __init_subclass__(
        cls, *, sdk: type[Any] | str | None = None, rules: Rules | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if sdk is not None:
            cls._sdk = sdk
        if rules is not None:
            cls._rules = (rules,)
        own = _own_fields(cls) if "__annotations__" in vars(cls) else ()
        _CLASSES.setdefault(cls.__name__, cls)
        cls._fields = cls._fields + own
        cls._folded_names = tuple(
            (f, (f.attr.lower(), f.rest_key.lower(), f.rest_key.split(".")[-1].lower()))
            for f in cls._fields
        )
        positions: dict[str, list[int]] = {}
        for i, (_, names) in enumerate(cls._folded_names):
            for name in dict.fromkeys(names):
                positions.setdefault(name, []).append(i)
        cls._positions = {name: tuple(found) for name, found in positions.items()}
        required = [f for f in cls._fields if f.required]
        cls.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter(f.attr, inspect.Parameter.KEYWORD_ONLY) for f in required]
            + [
                inspect.Parameter(f.attr, inspect.Parameter.KEYWORD_ONLY, default=None)
                for f in cls._fields
                if not f.required
            ]
        )

    if not TYPE_CHECKING:  # mypy sees the constructor dataclass_transform derives

        def __init__(self, **kwargs: Any) -> None:
            cls = type(self)
            names = {f.attr for f in cls._fields}
            for key in kwargs:
                if key not in names:
                    raise UnknownArgumentError(
                        cls.__name__, key, names, cls._refused.get(key.lower())
                    )
            missing = [f.attr for f in cls._fields if f.required and f.attr not in kwargs]
            if missing:
                raise TypeError(
                    f"{cls.__name__}() missing required keyword argument {missing[0]!r}"
                )
            for field in cls._fields:
                _check_dict_forms(field, kwargs.get(field.attr), field.attr)
            self._assign(kwargs)

    def _assign(self, values: Mapping[str, Any]) -> None:
        self.additional_properties = {}
        for field in self._fields:
            setattr(self, field.attr, values.get(field.attr))

    @classmethod
    def sdk_model(cls) -> type[Any]:
        """The azure-batch 15 model class (imported on first use when named)."""
        if isinstance(cls._sdk, str):
            cls._sdk = getattr(importlib.import_module("azure.batch.models"), cls._sdk)
        assert isinstance(cls._sdk, type)
        return cls._sdk

    # --- plain values ---------------------------------------------------------------------------

    @classmethod
    def rest_key(cls, attr: str) -> str:
        """The REST (wire) key of an attribute, as azure-batch 15 names it."""
        return cls._field(attr).rest_key

    @classmethod
    def _field(cls, attr: str) -> Field:
        return next(f for f in cls._fields if f.attr == attr)

    @classmethod
    def fields(cls) -> tuple[Field, ...]:
        """The declared fields, in order, with what is derived from each declaration."""
        return cls._fields

    @classmethod
    def _attr_desc(cls, field: Field) -> dict[str, Any]:
        return {"key": field.rest_key, "type": field.type_name}

    @classmethod
    def normalize(cls, data: Mapping[str, Any]) -> dict[str, Any]:
        """Re-key a mapping (attribute or REST keys, any case) by attribute name, recursively.

        Values are left as they are, unknowns included: this is the form validation reads.
        """
        out: dict[str, Any] = {}
        keys = _first_folded_keys(data)
        for field, names in cls._named_by(keys):
            value = _found(data, keys, names[:2])
            if value is not None:
                out[field.attr] = _plain_value(field, value)
        return out

    @classmethod
    def _named_by(cls, keys: Mapping[str, str]) -> list[tuple[Field, tuple[str, str, str]]]:
        """The fields (with their folded names) one of whose names is among ``keys``, in
        declaration order: the only ones a lookup of those keys can find."""
        hits = {i for key in keys for i in cls._positions.get(key, ())}
        return [cls._folded_names[i] for i in sorted(hits)]

    @classmethod
    def _lookup(cls, field: Field, data: Mapping[str, Any]) -> Any:
        """A field's value in a mapping with attribute or REST keys, any case."""
        names = (field.attr.lower(), field.rest_key.lower())
        return _found(data, _first_folded_keys(data), names)

    @classmethod
    def unchecked(cls, data: Mapping[str, Any]) -> Self:
        """An instance holding a mapping's values as they are (Outputs kept, nothing parsed)."""
        obj = cls.__new__(cls)
        obj._assign(cls.normalize(data))
        return obj

    def to_plain(self) -> dict[str, Any]:
        """This object as an attribute-keyed dict of the values as given (Outputs kept)."""
        return {
            field.attr: _plain_value(field, getattr(self, field.attr))
            for field in self._fields
            if getattr(self, field.attr) is not None
        }

    def to_inputs(self) -> dict[str, Any]:
        """Attribute-keyed resource properties: Outputs kept, durations and date-times as ISO 8601
        text."""
        out: dict[str, Any] = {}
        for field in self._fields:
            value = getattr(self, field.attr)
            if value is not None:
                out[field.attr] = _input_value(field, value)
        return out

    # --- msrest surface -------------------------------------------------------------------------

    def validate(self) -> list[ValidationError]:
        """Check Batch's documented rules; returns the broken ones, never raises for bad values."""
        errors: list[ValidationError] = []
        for rules in self._rules:
            rules(errors, "", self.to_plain())
        return errors

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
                wire[field.rest_key] = format_duration(value)
            elif field.kind == "datetime":
                wire[field.rest_key] = format_datetime(value)
            elif field.kind == "raw":  # REST JSON, also for properties the SDK lacks
                wire[field.rest_key] = value
            else:
                kwargs[field.sdk_attr or field.attr] = value
        model = self.sdk_model()(**kwargs)
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
                body[field.rest_key] = [item._rest(True, extra) for item in items]
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
                value = _nested(field)._transform(value, transformer)
            elif field.kind == "models" and field.model:
                value = [_nested(field)._transform(item, transformer) for item in value]
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
        if extractors is FROM_DICT_EXTRACTORS:
            # The default chain, answered from one index of the keys instead of one scan of
            # them per extractor and field (the same first match).
            keys = _first_folded_keys(data)
            for field, names in cls._named_by(keys):
                found = _found(data, keys, names)
                if found is not None:
                    values[field.attr] = _coerce(field, found, extractors, _join(path, field.attr))
        else:
            for field in cls._fields:
                desc = cls._attr_desc(field)
                for extractor in extractors:
                    found = extractor(field.attr, desc, data)
                    if found is not None:
                        values[field.attr] = _coerce(
                            field, found, extractors, _join(path, field.attr)
                        )
                        break
        obj = cls.__new__(cls)
        obj._assign(values)
        obj.additional_properties = {
            key: copy.deepcopy(value)
            for key, value in data.items()
            if not _consumed_key(cls, extractors, key)
        }
        return obj


#: Memo of the lookup ``from_dict`` repeats most; it depends only on its keys.
_CONSUMED_MEMO: dict[tuple[type[BatchModel], tuple[KeyExtractor, ...], Any], bool] = {}
_CONSUMED_MEMO_MAX = 4096


#: Argument classes by name (the first of each name), for the nested classes in the table.
_CLASSES: dict[str, type[BatchModel]] = {}
_ENUMS = {
    name: value
    for name, value in vars(_enums).items()
    if isinstance(value, type) and issubclass(value, Enum) and value.__module__ == _enums.__name__
}


def _own_fields(cls: type[BatchModel]) -> tuple[Field, ...]:
    """The class's own fields: its rows in ``_fieldtable`` when they match the declaration,
    else derived from it (which imports azure-batch)."""
    rows = FIELDS.get(f"{cls.__module__}.{cls.__qualname__}")
    fields = table_fields(cls, rows, _CLASSES, _ENUMS) if rows is not None else None
    return fields if fields is not None else read_fields(cls, cls.sdk_model(), _is_model)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BatchModel)


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


def _first_folded_keys(data: Mapping[str, Any]) -> dict[str, str]:
    """Each lower-cased string key of ``data`` to the first key that folds to it: the key a
    case-insensitive extractor (``_keys``) finds."""
    keys: dict[str, str] = {}
    for key in data:
        if isinstance(key, str):
            keys.setdefault(key.lower(), key)
    return keys


def _found(data: Mapping[str, Any], keys: Mapping[str, str], names: Sequence[str]) -> Any:
    """The first value that is not None under ``names`` (lower-cased), as the extractors
    tried in that order would find it."""
    for name in names:
        key = keys.get(name)
        if key is not None:
            value = data[key]
            if value is not None:
                return value
    return None


def _insert(out: dict[str, Any], key: Any, value: Any) -> None:
    if isinstance(key, list):
        for part in key[:-1]:
            out = out.setdefault(part, {})
        key = key[-1]
    out[key] = value


def _nested(field: Field) -> type[BatchModel]:
    assert field.model is not None and issubclass(field.model, BatchModel)
    return field.model


def _check_dict_forms(field: Field, value: Any, path: str) -> None:
    """Raise :class:`UnknownArgumentError` for a key of a dict form that no field takes.

    A dict form may use attribute or REST keys in any case (as ``from_dict`` reads it);
    values not known yet are not looked into.
    """
    if field.kind == "models" and isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_dict_forms(field, item, f"{path}[{i}]")
    elif field.kind in ("model", "models") and isinstance(value, Mapping) and not is_unknown(value):
        model = _nested(field)
        for key in value:
            if not _consumed_key(model, FROM_DICT_EXTRACTORS, key):
                known = (f.attr for f in model._fields)
                reason = model._refused.get(str(key).lower())
                raise UnknownArgumentError(path, str(key), known, reason)
        for nested in model._fields:
            _check_dict_forms(nested, model._lookup(nested, value), _join(path, nested.attr))


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
            return [_model_input(model, v) for v in value]
        return _model_input(model, value)
    if field.kind == "duration" and isinstance(value, timedelta):
        return format_duration(value)
    if field.kind == "datetime" and isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _model_input(model: type[BatchModel], value: Any) -> Any:
    if isinstance(value, pulumi.Output):
        return value.apply(lambda resolved: _model_input(model, resolved))
    if isinstance(value, Mapping):
        value = model.unchecked(value)
    return value.to_inputs() if isinstance(value, BatchModel) else value


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
