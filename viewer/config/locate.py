"""Line and column of each key in a TOML text, so problems can point into the file.

`tomllib` gives values without positions; this scanner follows table headers and `key =`
lines, which is how configuration files are written. Keys it cannot see (inside inline tables
or multi-line values) fall back to the nearest enclosing key or table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from viewer.config.paths import nearest

Position = tuple[int, int]  # 1-based line and column

_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_HEADER = re.compile(rf"\s*(\[\[?)\s*({_DOTTED})\s*\]\]?")
_ASSIGNMENT = re.compile(rf"\s*({_DOTTED})\s*=")
_KEY_PART = re.compile(_BARE_OR_QUOTED)


def _key_parts(dotted: str) -> list[str]:
    return [part.strip("\"'") for part in _KEY_PART.findall(dotted)]


def _bracket_depth_change(line: str) -> int:
    """Net count of '[' minus ']' outside strings and comments (for multi-line arrays)."""
    depth, quote, escaped = 0, "", False
    for char in line:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':  # escapes exist in basic strings only
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth


def _scan(text: str) -> Iterator[tuple[str, Position]]:
    table: list[str] = []
    array_counts: dict[str, int] = {}
    open_brackets = 0
    in_multiline: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):  # TOML lines end in \n only
        if in_multiline is not None:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if open_brackets > 0:
            open_brackets += _bracket_depth_change(line)
            continue
        header = _HEADER.match(line)
        if header is not None:
            table = _key_parts(header.group(2))
            dotted = ".".join(table)
            if header.group(1) == "[[":
                index = array_counts.get(dotted, 0)
                array_counts[dotted] = index + 1
                table = [*table[:-1], f"{table[-1]}[{index}]"]
            yield ".".join(table), (number, header.start(2) + 1)
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment is None:
            continue
        yield (
            ".".join([*table, *_key_parts(assignment.group(1))]),
            (number, assignment.start(1) + 1),
        )
        value = line[assignment.end() :]
        for marker in ('"""', "'''"):
            if value.count(marker) % 2 == 1:
                in_multiline = marker
        open_brackets = max(_bracket_depth_change(value), 0) if in_multiline is None else 0


def key_positions(text: str) -> dict[str, Position]:
    """Dotted key path -> (line, column) of every key and table header the scanner sees."""
    positions: dict[str, Position] = {}
    for path, position in _scan(text):
        positions.setdefault(path, position)
    return positions


def position_of(positions: dict[str, Position], key_path: str) -> Position | None:
    """The position of `key_path`, or of its nearest enclosing key or table."""
    return nearest(positions, key_path)
