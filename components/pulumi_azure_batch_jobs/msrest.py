"""msrest compatibility plumbing of the argument classes, as the seed (azure-batch 14) has it.

The key extractors ``from_dict`` takes, the key transformers ``as_dict`` takes, and
``BatchModel``, the base class with the seed's model methods. Programs declaring jobs need
none of it; code written against the seed's msrest models may.
"""

from .args._keys import (
    KeyExtractor,
    KeyTransformer,
    attribute_key_case_insensitive_extractor,
    attribute_key_extractor,
    attribute_transformer,
    full_restapi_key_transformer,
    last_rest_key_case_insensitive_extractor,
    last_rest_key_extractor,
    last_restapi_key_transformer,
    rest_key_case_insensitive_extractor,
    rest_key_extractor,
)
from .args._model import BatchModel

__all__ = [
    "BatchModel",
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
