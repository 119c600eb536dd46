"""What goes wrong turning data into argument objects and back."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import pulumi

__all__ = ["DeserializationError", "SerializationError", "UnknownArgumentError"]


class DeserializationError(ValueError):
    """Input data (REST JSON or a dict) cannot be turned into an argument object."""


class SerializationError(ValueError):
    """An argument object cannot be turned into REST JSON (a value is unknown or malformed)."""


class UnknownArgumentError(TypeError, pulumi.RunError):
    """A constructor or a dict form was given a name that is not one of its fields.

    ``str()`` names where and the nearest field, or why a class refuses the name
    (``reason``). A ``pulumi.RunError``: a Pulumi program
    that raises it fails ``preview`` with that one line, no traceback.
    """

    def __init__(
        self, path: str, name: str, known: Iterable[str], reason: str | None = None
    ) -> None:
        self.path = path
        self.name = name
        names = sorted(known)
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else "expected one of " + ", ".join(names)
        hint = reason or hint
        super().__init__(f"{path}: unknown argument {name!r} ({hint})")
