"""Field handles (Doc.GetField): select, toggle, clear and count the values of one field.

A Field selects in the session's (default) selection state, like a click in a list box; every
selection-dependent object of the session is reported changed."""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING

from viewer.sim.engine.data import Json
from viewer.sim.engine.hypercube import format_value
from viewer.sim.engine.protocol import ErrorCode, Param, RpcError
from viewer.sim.engine.selection import Value
from viewer.sim.engine.session import EngineObject, EngineSession, Result, rpc

if TYPE_CHECKING:
    from viewer.sim.engine.doc_object import DocObject


def _matching(values: tuple[Value, ...], match: str) -> list[Value]:
    """Values whose text equals `match` or fits it as a wildcard search (`*`, `?`), any case."""
    pattern = match.strip().lower()
    return [v for v in values if fnmatch.fnmatchcase(format_value(v).lower(), pattern)]


class FieldObject(EngineObject):
    """One field of the open app."""

    qtype = "Field"

    def __init__(self, session: EngineSession, doc: DocObject, name: str) -> None:
        super().__init__(session, name, "Field")
        self.doc = doc
        self.name = name

    def _values(self) -> tuple[Value, ...]:
        return self.doc.app.table.distinct(self.name)

    def _select(self, values: list[Value], *, toggle: bool) -> Result:
        selections = self.session.selections.select(self.name, values, toggle=toggle)
        self.session.set_selections(selections)
        return {"qReturn": bool(values)}

    @rpc(
        "Select",
        Param("qMatch", str),
        Param("qSoftLock", bool, False),
        Param("qExcludedValuesMode", int, 0),
    )
    def select(self, qMatch: str, qSoftLock: bool, qExcludedValuesMode: int) -> Result:
        return self._select(_matching(self._values(), qMatch), toggle=False)

    @rpc(
        "ToggleSelect",
        Param("qMatch", str),
        Param("qSoftLock", bool, False),
        Param("qExcludedValuesMode", int, 0),
    )
    def toggle_select(self, qMatch: str, qSoftLock: bool, qExcludedValuesMode: int) -> Result:
        return self._select(_matching(self._values(), qMatch), toggle=True)

    @rpc(
        "SelectValues",
        Param("qFieldValues", list),
        Param("qToggleMode", bool, False),
        Param("qSoftLock", bool, False),
    )
    def select_values(self, qFieldValues: list[Json], qToggleMode: bool, qSoftLock: bool) -> Result:
        wanted: list[Value] = []
        for index, item in enumerate(qFieldValues):
            if not isinstance(item, dict):
                raise RpcError(ErrorCode.INVALID_PARAMS, f"qFieldValues[{index}] must be an object")
            for value in self._values():
                if _same(value, item):
                    wanted.append(value)
        return self._select(wanted, toggle=qToggleMode)

    @rpc("SelectAll", Param("qSoftLock", bool, False))
    def select_all(self, qSoftLock: bool) -> Result:
        return self._select(list(self._values()), toggle=False)

    @rpc("Clear")
    def clear(self) -> Result:
        self.session.set_selections(self.session.selections.cleared([self.name]))
        return {"qReturn": True}

    @rpc("GetCardinal")
    def get_cardinal(self) -> Result:
        return {"qReturn": len(self._values())}

    @rpc("GetNxProperties")
    def get_nx_properties(self) -> Result:
        return {"qProperties": {"qOneAndOnlyOne": False}}


def _same(value: Value, item: dict[str, Json]) -> bool:
    """Does a FieldValue ({qText, qIsNumeric, qNumber}) name this value?"""
    if item.get("qIsNumeric") is True and isinstance(value, float):
        return item.get("qNumber") == value
    return item.get("qText") == format_value(value)
