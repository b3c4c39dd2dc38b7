"""List objects (`qListObjectDef`: filter panes' list boxes) computed from an app's table and the
session's selections: one column of a field's values with their states (S, O, A, X), sorted by
state then text when the definition asks for it, narrowed to the matches of an open search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from viewer.sim.engine.data import Json, Table
from viewer.sim.engine.hypercube import (
    Page,
    dimension_info,
    format_value,
    page_from_json,
    state_name,
)
from viewer.sim.engine.selection import Selections, Value

_STATE_ORDER = {"S": 0, "O": 1, "A": 2, "X": 3}


def list_field(definition: Mapping[str, Json]) -> str:
    """The field a qListObjectDef lists ("" when it names none)."""
    inner = definition.get("qDef")
    defs = inner.get("qFieldDefs") if isinstance(inner, dict) else None
    first = defs[0] if isinstance(defs, list) and defs else ""
    return str(first).lstrip("=")


def matches(value: Value, search: str | None) -> bool:
    """True when `value` is shown while `search` is open (its text contains the search text;
    Qlik's `*` wildcards are ignored)."""
    if not search:
        return True
    wanted = search.replace("*", "").strip().lower()
    return wanted in format_value(value).lower()


def _rows(
    table: Table, selections: Selections, definition: Mapping[str, Json], search: str | None
) -> list[dict[str, Json]]:
    name = list_field(definition)
    if name not in table.fields:
        return []
    states = selections.value_states(table, name)
    cells = [
        {
            "qText": format_value(value),
            "qNum": value if isinstance(value, float) else "NaN",
            "qElemNumber": element,
            "qState": states[value],
        }
        for element, value in enumerate(table.distinct(name))
        if matches(value, search)
    ]
    criteria = _first_sort(definition)
    if criteria.get("qSortByAscii", 0) != 0:
        cells.sort(
            key=lambda cell: str(cell["qText"]).lower(), reverse=criteria["qSortByAscii"] < 0
        )
    if criteria.get("qSortByState", 0) != 0:
        cells.sort(key=lambda cell: _STATE_ORDER[str(cell["qState"])])
    return cells


def _first_sort(definition: Mapping[str, Json]) -> dict[str, int]:
    inner = definition.get("qDef")
    sorts = inner.get("qSortCriterias") if isinstance(inner, dict) else None
    first = sorts[0] if isinstance(sorts, list) and sorts and isinstance(sorts[0], dict) else {}
    return {k: v for k, v in first.items() if isinstance(v, int) and not isinstance(v, bool)}


def list_object_layout(
    table: Table,
    selections: Selections,
    definition: Mapping[str, Json],
    search: str | None = None,
) -> dict[str, Json]:
    """The `qListObject` of a layout for `definition`, with its initial data pages."""
    rows = _rows(table, selections, definition, search)
    name = list_field(definition)
    info = dimension_info(table, selections, name, name in table.fields, cube_cardinal=len(rows))
    pages = [page_from_json(page) for page in _items(definition.get("qInitialDataFetch"))]
    return {
        "qStateName": state_name(definition),
        "qSize": {"qcx": 1, "qcy": len(rows)},
        "qDimensionInfo": info,
        "qExpressions": [],
        "qDataPages": [_page(rows, page) for page in pages],
    }


def list_object_pages(
    table: Table,
    selections: Selections,
    definition: Mapping[str, Json],
    pages: Sequence[Page],
    search: str | None = None,
) -> list[Json]:
    """GetListObjectData: the requested pages, clipped to the list's size."""
    rows = _rows(table, selections, definition, search)
    return [_page(rows, page) for page in pages]


def search_matches(table: Table, definition: Mapping[str, Json], search: str) -> list[Value]:
    """The field values an open search matches (what accepting the search selects)."""
    name = list_field(definition)
    if name not in table.fields:
        return []
    return [value for value in table.distinct(name) if matches(value, search)]


def _page(rows: list[dict[str, Json]], page: Page) -> Json:
    width = 1 if page.left == 0 and page.width > 0 else 0
    height = max(0, min(page.height, len(rows) - page.top)) if width else 0
    return {
        "qMatrix": [[dict(cell)] for cell in rows[page.top : page.top + height]],
        "qTails": [],
        "qArea": {"qLeft": page.left, "qTop": page.top, "qWidth": width, "qHeight": height},
    }


def _items(value: Json) -> list[Json]:
    return value if isinstance(value, list) else []
