"""msrest's keys: extractors (how ``from_dict`` / ``deserialize`` find an attribute in a
dict) and transformers (how ``as_dict`` names it).

Each takes ``attr`` and ``attr_desc``, where ``attr_desc["key"]`` is the REST key: an extractor
also ``data`` and returns the value found or None, a transformer also the value and returns
``(key, value)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: What ``pulumi_azure_batch_jobs.msrest`` exports.
__all__ = [
    "KeyExtractor",
    "KeyTransformer",
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

KeyExtractor = Callable[[str, Mapping[str, Any], Mapping[str, Any]], Any]
KeyTransformer = Callable[[str, Mapping[str, Any], Any], tuple[Any, Any]]


def attribute_key_extractor(
    attr: str, attr_desc: Mapping[str, Any], data: Mapping[str, Any]
) -> Any:
    """The value under the attribute name."""
    return data.get(attr)


def attribute_key_case_insensitive_extractor(
    attr: str, attr_desc: Mapping[str, Any], data: Mapping[str, Any]
) -> Any:
    """The value under the attribute name, ignoring case."""
    lower = attr.lower()
    for key in data:
        if isinstance(key, str) and key.lower() == lower:
            return data[key]
    return None


def rest_key_extractor(attr: str, attr_desc: Mapping[str, Any], data: Mapping[str, Any]) -> Any:
    """The value under the REST key."""
    return data.get(attr_desc["key"])


def rest_key_case_insensitive_extractor(
    attr: str, attr_desc: Mapping[str, Any], data: Mapping[str, Any]
) -> Any:
    """The value under the REST key, ignoring case."""
    return attribute_key_case_insensitive_extractor(attr_desc["key"], attr_desc, data)


def last_rest_key_extractor(
    attr: str, attr_desc: Mapping[str, Any], data: Mapping[str, Any]
) -> Any:
    """The value under the last part of the REST key."""
    return data.get(str(attr_desc["key"]).split(".")[-1])


def last_rest_key_case_insensitive_extractor(
    attr: str, attr_desc: Mapping[str, Any], data: Mapping[str, Any]
) -> Any:
    """The value under the last part of the REST key, ignoring case."""
    last = str(attr_desc["key"]).split(".")[-1]
    return attribute_key_case_insensitive_extractor(last, attr_desc, data)


FROM_DICT_EXTRACTORS: tuple[KeyExtractor, ...] = (
    attribute_key_case_insensitive_extractor,
    rest_key_case_insensitive_extractor,
    last_rest_key_case_insensitive_extractor,
)
DESERIALIZE_EXTRACTORS: tuple[KeyExtractor, ...] = (rest_key_extractor,)


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
