"""msrest's key extractors: how ``from_dict`` / ``deserialize`` find an attribute in a dict.

Each takes ``(attr, attr_desc, data)`` where ``attr_desc["key"]`` is the REST key, and returns the
value found or None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "DESERIALIZE_EXTRACTORS",
    "FROM_DICT_EXTRACTORS",
    "KeyExtractor",
    "attribute_key_case_insensitive_extractor",
    "attribute_key_extractor",
    "last_rest_key_case_insensitive_extractor",
    "last_rest_key_extractor",
    "rest_key_case_insensitive_extractor",
    "rest_key_extractor",
]

KeyExtractor = Callable[[str, Mapping[str, Any], Mapping[str, Any]], Any]


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
