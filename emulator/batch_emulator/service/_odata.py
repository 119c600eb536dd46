"""The OData ``$filter`` and ``$select`` forms Batch clients send.

Supported filter grammar: comparisons (``eq ne gt ge lt le``) of a property path
(``state``, ``executionInfo/exitCode``) with a literal (``'text'``, numbers, ``true``,
``false``, ``null``, ``datetime'...'``), ``startswith(path,'prefix')``, ``and``, ``or``,
``not`` and parentheses. String comparisons are case-insensitive, as ids are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from batch_emulator.clock import parse_iso
from batch_emulator.errors import invalid_query

__all__ = ["Predicate", "parse_filter", "project"]

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<dt>datetime'[^']*')|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<punct>[(),])|(?P<word>[A-Za-z_][A-Za-z0-9_/.]*))"
)
_OPS = {"eq", "ne", "gt", "ge", "lt", "le"}


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ValueError(f"unexpected text at {pos}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ValueError("unexpected end of filter")
        self.pos += 1
        return token

    def expect(self, value: str) -> None:
        if self.take()[1] != value:
            raise ValueError(f"expected {value!r}")

    def word_is(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].lower() == value

    def parse_or(self) -> Predicate:
        left = self.parse_and()
        while self.word_is("or"):
            self.take()
            right = self.parse_and()
            left = _either(left, right)
        return left

    def parse_and(self) -> Predicate:
        left = self.parse_unary()
        while self.word_is("and"):
            self.take()
            right = self.parse_unary()
            left = _both(left, right)
        return left

    def parse_unary(self) -> Predicate:
        if self.word_is("not"):
            self.take()
            inner = self.parse_unary()
            return lambda item: not inner(item)
        token = self.peek()
        if token == ("punct", "("):
            self.take()
            inner = self.parse_or()
            self.expect(")")
            return inner
        if self.word_is("startswith"):
            self.take()
            self.expect("(")
            path = self.take()[1]
            self.expect(",")
            prefix = _literal(self.take())
            self.expect(")")
            if not isinstance(prefix, str):
                raise ValueError("startswith needs a string")
            return lambda item: str(_lookup(item, path) or "").lower().startswith(prefix.lower())
        kind, path = self.take()
        if kind != "word":
            raise ValueError("expected a property")
        op = self.take()[1].lower()
        if op not in _OPS:
            raise ValueError(f"unknown operator {op!r}")
        value = _literal(self.take())
        return _compare(path, op, value)


def _either(a: Predicate, b: Predicate) -> Predicate:
    return lambda item: a(item) or b(item)


def _both(a: Predicate, b: Predicate) -> Predicate:
    return lambda item: a(item) and b(item)


def _literal(token: tuple[str, str]) -> Any:
    kind, text = token
    if kind == "str":
        return text[1:-1].replace("''", "'")
    if kind == "dt":
        return parse_iso(text[9:-1])
    if kind == "num":
        return float(text) if "." in text else int(text)
    if kind == "word" and text.lower() in {"true", "false", "null"}:
        return {"true": True, "false": False, "null": None}[text.lower()]
    raise ValueError(f"expected a literal, got {text!r}")


def _lookup(item: dict[str, Any], path: str) -> Any:
    value: Any = item
    for part in path.split("/"):
        if not isinstance(value, dict):
            return None
        match = next((k for k in value if k.lower() == part.lower()), None)
        value = value.get(match) if match else None
    return value


def _compare(path: str, op: str, literal: Any) -> Predicate:
    def check(item: dict[str, Any]) -> bool:
        value = _lookup(item, path)
        if op in {"eq", "ne"}:
            same = _norm(value, literal) == _norm(literal, literal)
            return same if op == "eq" else not same
        if value is None or literal is None:
            return False
        left, right = _norm(value, literal), _norm(literal, literal)
        try:
            return bool(
                {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[
                    op
                ]
            )
        except TypeError:
            return False

    return check


def _norm(value: Any, like: Any) -> Any:
    if isinstance(value, str):
        if not isinstance(like, str) and like is not None and not isinstance(like, bool):
            try:
                return parse_iso(value) if hasattr(like, "tzinfo") else float(value)
            except ValueError:
                return value.lower()
        return value.lower()
    return value


def parse_filter(text: str | None) -> Predicate | None:
    """Compile a ``$filter`` expression; a malformed one is a 400 naming ``$filter``."""
    if not text or not text.strip():
        return None
    try:
        parser = _Parser(text)
        predicate = parser.parse_or()
        if parser.peek() is not None:
            raise ValueError("trailing text")
    except ValueError as exc:
        raise invalid_query("$filter", text, f"The filter clause is invalid: {exc}.") from None
    return predicate


def project(item: dict[str, Any], select: str | None) -> dict[str, Any]:
    """Keep only the ``$select``-ed top-level properties (case-insensitive)."""
    if not select:
        return item
    wanted = {part.strip().split("/")[0].lower() for part in select.split(",") if part.strip()}
    return {k: v for k, v in item.items() if k.lower() in wanted}
