"""msrest compatibility plumbing of the argument classes, as the seed (azure-batch 14) has it.

The key extractors ``from_dict`` takes, the key transformers ``as_dict`` takes, and
``BatchModel``, the base class with the seed's model methods. Programs declaring jobs need
none of it; code written against the seed's msrest models may.
"""

from .args import _keys
from .args._keys import *  # noqa: F403 (the extractors and transformers: _keys.__all__)
from .args._model import BatchModel

__all__ = ["BatchModel", *_keys.__all__]
