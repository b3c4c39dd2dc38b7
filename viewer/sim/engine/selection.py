"""Selections of one engine session and the field states they imply, as the QIX engine computes them.

A value is Selected (S), Optional (O: possible, not selected), Alternative (A: excluded only by
its own field's selection) or eXcluded (X). Selections are immutable; every change makes a new one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from viewer.sim.engine.data import Json, Table

Value = str | float
Row = tuple[Value, ...]

SELECTION_THRESHOLD = 6
"""Up to this many selected values are listed by name in the current selections; more are counted."""


@dataclass(frozen=True)
class Selections:
    """Selected values per field (fields with no selection are absent)."""

    by_field: Mapping[str, tuple[Value, ...]] = field(default_factory=dict)

    def select(self, name: str, values: Iterable[Value], *, toggle: bool) -> Selections:
        """Replace the field's selection with `values`, or toggle each of them when `toggle`."""
        chosen = tuple(dict.fromkeys(values))
        if toggle:
            current = self.by_field.get(name, ())
            kept = tuple(value for value in current if value not in chosen)
            chosen = kept + tuple(value for value in chosen if value not in current)
        updated = {key: value for key, value in self.by_field.items() if key != name}
        if chosen:
            updated[name] = chosen
        return Selections(updated)

    def cleared(self, names: Iterable[str] | None = None) -> Selections:
        """Without the selections in `names` (all of them when None)."""
        if names is None:
            return Selections()
        dropped = set(names)
        return Selections({k: v for k, v in self.by_field.items() if k not in dropped})

    def rows(self, table: Table, *, ignoring: str | None = None) -> list[Row]:
        """The table rows compatible with every selection except the one on `ignoring`."""
        filters = [
            (table.column(name), set(values))
            for name, values in self.by_field.items()
            if name != ignoring and name in table.fields
        ]
        return [row for row in table.rows if all(row[i] in allowed for i, allowed in filters)]

    def value_states(self, table: Table, name: str) -> dict[Value, str]:
        """The state letter (S, O, A, X) of each distinct value of field `name`."""
        index = table.column(name)
        possible = {row[index] for row in self.rows(table)}
        selected = set(self.by_field.get(name, ()))
        if not selected:
            return {value: "O" if value in possible else "X" for value in table.distinct(name)}
        reachable = {row[index] for row in self.rows(table, ignoring=name)}
        return {
            value: "S" if value in selected else "A" if value in reachable else "X"
            for value in table.distinct(name)
        }

    def state_counts(self, table: Table, name: str) -> dict[str, int]:
        """The engine's qStateCounts for field `name`."""
        states = list(self.value_states(table, name).values())
        return {
            "qLocked": 0,
            "qSelected": states.count("S"),
            "qOption": states.count("O"),
            "qDeselected": 0,
            "qAlternative": states.count("A"),
            "qExcluded": states.count("X"),
            "qSelectedExcluded": 0,
            "qLockedExcluded": 0,
        }


def values_for_elements(table: Table, name: str, elements: Sequence[int]) -> list[Value]:
    """The field values whose qElemNumber is in `elements`; unknown numbers are ignored."""
    distinct = table.distinct(name)
    return [distinct[number] for number in elements if 0 <= number < len(distinct)]


def current_selections(table: Table, selections: Selections) -> dict[str, Json]:
    """The layout part `qSelectionObject` of a current-selections object (qSelectionObjectDef)."""
    entries = []
    for name, values in selections.by_field.items():
        if name not in table.fields:
            continue
        total = len(table.distinct(name))
        if len(values) <= SELECTION_THRESHOLD:
            summary = ", ".join(_text(value) for value in values)
        else:
            summary = f"{len(values)} of {total}"
        entries.append(
            {
                "qField": name,
                "qReadableName": name,
                "qSelected": summary,
                "qSelectedCount": len(values),
                "qTotal": total,
                "qSelectionThreshold": SELECTION_THRESHOLD,
                "qSelectedFieldSelectionInfo": [
                    {"qName": _text(value), "qFieldSelectionMode": "NORMAL"} for value in values
                ],
                "qNotSelectedFieldSelectionInfo": [],
                "qStateCounts": selections.state_counts(table, name),
                "qLocked": False,
                "qIsNum": False,
                "qOneAndOnlyOne": False,
                "qTextSearch": "",
                "qRangeInfo": [],
            }
        )
    return {"qBackCount": 0, "qForwardCount": 0, "qSelections": entries}


def _text(value: Value) -> str:
    return value if isinstance(value, str) else f"{value:g}"
