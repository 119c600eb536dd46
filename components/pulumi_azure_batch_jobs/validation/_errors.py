"""The one shape of a broken rule."""

from __future__ import annotations

from typing import Any

from ._values import render_value

__all__ = ["ValidationError"]


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
