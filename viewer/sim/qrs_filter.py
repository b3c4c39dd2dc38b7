"""QRS `filter=` expressions, as clients send them: `name eq 'Sales'`, `stream.name sw 'Ev'`,
`published eq true and (name so 'ale' or name ew 'ory')`, `not name eq 'x'`.

Operators: eq, ne, gt, ge, lt, le, sw (starts with), ew (ends with), so (substring of); text
compares ignore case, as the repository does. `parse` raises `FilterError` naming the position
of what it could not read, so a bad filter gets a 400 that says where."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Record = Mapping[str, Any]
Predicate = Callable[[Record], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<open>\()|(?P<close>\))|(?P<string>'(?:[^']|'')*')|"
    r"(?P<number>-?\d+(?:\.\d+)?)|(?P<word>[A-Za-z_][\w.]*))"
)
_OPERATORS = frozenset({"eq", "ne", "gt", "ge", "lt", "le", "sw", "ew", "so"})


class FilterError(ValueError):
    """A filter that cannot be parsed: what was expected and where."""


def _tokens(text: str) -> list[tuple[str, Any, int]]:
    tokens: list[tuple[str, Any, int]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None:
            at = len(text) - len(text[position:].lstrip())
            raise FilterError(f"unexpected character at position {at}: {text[at:]!r}")
        kind = match.lastgroup or ""
        raw = match.group(kind)
        start = match.start(kind)
        value: Any = raw
        if kind == "string":
            value = raw[1:-1].replace("''", "'")
        elif kind == "number":
            value = float(raw)
        elif kind == "word" and raw.lower() in ("true", "false", "null"):
            kind, value = "literal", {"true": True, "false": False, "null": None}[raw.lower()]
        tokens.append((kind, value, start))
        position = match.end()
    return tokens


def parse(text: str) -> Predicate:
    """A predicate over QRS records for a filter expression."""
    tokens = _tokens(text)
    predicate, rest = _or(tokens)
    if rest:
        raise FilterError(f"unexpected {rest[0][1]!r} at position {rest[0][2]}")
    return predicate


Tokens = list[tuple[str, Any, int]]


def _keyword(tokens: Tokens, word: str) -> bool:
    return bool(tokens) and tokens[0][0] == "word" and str(tokens[0][1]).lower() == word


def _or(tokens: Tokens) -> tuple[Predicate, Tokens]:
    left, tokens = _and(tokens)
    while _keyword(tokens, "or"):
        right, tokens = _and(tokens[1:])
        left = _either(left, right)
    return left, tokens


def _and(tokens: Tokens) -> tuple[Predicate, Tokens]:
    left, tokens = _unary(tokens)
    while _keyword(tokens, "and"):
        right, tokens = _unary(tokens[1:])
        left = _both(left, right)
    return left, tokens


def _either(a: Predicate, b: Predicate) -> Predicate:
    return lambda record: a(record) or b(record)


def _both(a: Predicate, b: Predicate) -> Predicate:
    return lambda record: a(record) and b(record)


def _unary(tokens: Tokens) -> tuple[Predicate, Tokens]:
    if _keyword(tokens, "not"):
        inner, tokens = _unary(tokens[1:])
        return (lambda record: not inner(record)), tokens
    if tokens and tokens[0][0] == "open":
        inner, tokens = _or(tokens[1:])
        if not tokens or tokens[0][0] != "close":
            raise FilterError("missing ')'")
        return inner, tokens[1:]
    return _comparison(tokens)


def _comparison(tokens: Tokens) -> tuple[Predicate, Tokens]:
    if len(tokens) < 3 or tokens[0][0] != "word":
        where = tokens[0][2] if tokens else "the end"
        raise FilterError(f"expected 'field operator value' at position {where}")
    (_, path, _), (_, operator, op_at), (kind, value, value_at) = tokens[:3]
    operator = str(operator).lower()
    if operator not in _OPERATORS:
        raise FilterError(f"unknown operator {operator!r} at position {op_at}")
    if kind not in ("string", "number", "literal"):
        raise FilterError(f"expected a value at position {value_at}")
    return _compare(str(path), operator, value), tokens[3:]


def _lookup(record: Record, path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = next((v for k, v in value.items() if k.lower() == part.lower()), None)
    return value


def _compare(path: str, operator: str, wanted: Any) -> Predicate:
    def check(record: Record) -> bool:
        actual = _lookup(record, path)
        if isinstance(actual, str) and isinstance(wanted, str):
            a, w = actual.lower(), wanted.lower()
            text_tests = {
                "eq": a == w,
                "ne": a != w,
                "sw": a.startswith(w),
                "ew": a.endswith(w),
                "so": w in a,
                "gt": a > w,
                "ge": a >= w,
                "lt": a < w,
                "le": a <= w,
            }
            return text_tests[operator]
        if operator == "eq":
            return bool(actual == wanted)
        if operator == "ne":
            return bool(actual != wanted)
        if isinstance(actual, int | float) and isinstance(wanted, int | float):
            number_tests = {
                "gt": actual > wanted,
                "ge": actual >= wanted,
                "lt": actual < wanted,
                "le": actual <= wanted,
            }
            return number_tests.get(operator, False)
        return False

    return check
