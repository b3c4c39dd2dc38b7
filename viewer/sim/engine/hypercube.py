"""Hypercubes (straight mode) computed from an app's table and the session's selections.

Dimensions group the rows that the selections leave possible; measures are simple aggregations
such as `Sum(Sales)` or `Count(distinct Region)`. Anything else gets the engine's qError instead
of values, never an exception.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from viewer.sim.engine.data import Json, Table
from viewer.sim.engine.selection import Row, Selections, Value

CALC_INVALID_DEF = 7000
"""LOCERR_CALC_INVALID_DEF: what the engine reports for a dimension or measure it cannot compute."""

_MEASURE = re.compile(
    r"^\s*=?\s*(?P<func>sum|avg|count|min|max)\s*\(\s*(?P<distinct>distinct\s+)?"
    r"\[?(?P<field>[A-Za-z_][\w ]*?)\]?\s*\)\s*$",
    re.IGNORECASE,
)

_AGGREGATIONS: dict[str, Callable[[list[Value]], float]] = {
    "sum": lambda values: float(sum(_numbers(values))),
    "avg": lambda values: _mean(_numbers(values)),
    "count": lambda values: float(len(values)),
    "min": lambda values: min(_numbers(values), default=math.nan),
    "max": lambda values: max(_numbers(values), default=math.nan),
}


@dataclass(frozen=True)
class Page:
    """A rectangle of a hypercube (NxPage)."""

    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class _Measure:
    label: str
    aggregate: Callable[[list[Row]], float] | None


@dataclass(frozen=True)
class _Cube:
    dimensions: list[tuple[str, bool]]  # (field, known)
    measures: list[_Measure]
    matrix: list[list[dict[str, Json]]]
    totals: list[dict[str, Json]]


def hypercube_layout(table: Table, selections: Selections, definition: Mapping[str, Json]) -> Json:
    """The `qHyperCube` of a layout for `definition` (a qHyperCubeDef), with its initial pages."""
    cube = _compute(table, selections, definition)
    width = len(cube.dimensions) + len(cube.measures)
    pages = [page_from_json(page) for page in _items(definition.get("qInitialDataFetch"))]
    return {
        "qStateName": state_name(definition),
        "qSize": {"qcx": width, "qcy": len(cube.matrix)},
        "qDimensionInfo": [
            dimension_info(table, selections, name, known, cube_cardinal=len(cube.matrix))
            for name, known in cube.dimensions
        ],
        "qMeasureInfo": [_measure_info(cube, index) for index in range(len(cube.measures))],
        "qEffectiveInterColumnSortOrder": list(range(width)),
        "qGrandTotalRow": cube.totals,
        "qDataPages": [_page(cube, page) for page in pages],
        "qPivotDataPages": [],
        "qStackedDataPages": [],
        "qMode": "S",
        "qNoOfLeftDims": -1,
        "qTitle": "",
        "qLastExpandedPos": {"qx": 0, "qy": 0},
    }


def data_pages(
    table: Table, selections: Selections, definition: Mapping[str, Json], pages: Sequence[Page]
) -> list[Json]:
    """GetHyperCubeData: the requested pages of the cube, clipped to its size."""
    cube = _compute(table, selections, definition)
    return [_page(cube, page) for page in pages]


def page_from_json(value: Json) -> Page:
    """Parse an NxPage; raises ValueError with the offending key when it is not one."""
    if not isinstance(value, dict):
        raise ValueError("a page must be an object with qLeft, qTop, qWidth, qHeight")
    numbers = []
    for key in ("qLeft", "qTop", "qWidth", "qHeight"):
        number = value.get(key, 0)
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise ValueError(f"{key} must be a non-negative integer")
        numbers.append(number)
    return Page(*numbers)


def dimension_fields(definition: Mapping[str, Json]) -> list[str]:
    """The field of each dimension of a qHyperCubeDef ("" when it names none)."""
    fields = []
    for dimension in _items(definition.get("qDimensions")):
        defs = _lookup(dimension, "qDef", "qFieldDefs")
        first = defs[0] if isinstance(defs, list) and defs else ""
        fields.append(str(first).lstrip("="))
    return fields


def _compute(table: Table, selections: Selections, definition: Mapping[str, Json]) -> _Cube:
    names = dimension_fields(definition)
    dimensions = [(name, name in table.fields) for name in names]
    measures = [_parse_measure(table, measure) for measure in _items(definition.get("qMeasures"))]
    rows = selections.rows(table)
    matrix: list[list[dict[str, Json]]] = []
    if all(known for _, known in dimensions):
        indexes = [table.column(name) for name in names]
        groups: dict[tuple[Value, ...], list[Row]] = {}
        for row in rows:
            groups.setdefault(tuple(row[i] for i in indexes), []).append(row)
        if not dimensions:
            groups = {(): rows}
        states = [selections.value_states(table, name) for name in names]
        elements = [{v: n for n, v in enumerate(table.distinct(name))} for name in names]
        for key in sorted(groups, key=lambda values: tuple(str(v) for v in values)):
            cells = [
                _dimension_cell(value, elements[i][value], states[i][value])
                for i, value in enumerate(key)
            ]
            cells += [_measure_cell(measure, groups[key]) for measure in measures]
            matrix.append(cells)
    totals = [_measure_cell(measure, rows) for measure in measures]
    return _Cube(dimensions, measures, matrix, totals)


def _parse_measure(table: Table, measure: Json) -> _Measure:
    expression = str(_lookup(measure, "qDef", "qDef") or "")
    label = str(_lookup(measure, "qDef", "qLabel") or expression)
    return _Measure(label, aggregation(table, expression))


def aggregation(table: Table, expression: str) -> Callable[[list[Row]], float] | None:
    """The function computing `expression` (e.g. `Sum(Sales)`) over rows; None if unsupported."""
    match = _MEASURE.match(expression)
    if match is None or match["field"] not in table.fields:
        return None
    index = table.column(match["field"])
    aggregate = _AGGREGATIONS[match["func"].lower()]
    distinct = match["distinct"] is not None

    def compute(rows: list[Row]) -> float:
        values = [row[index] for row in rows]
        return aggregate(list(dict.fromkeys(values)) if distinct else values)

    return compute


def state_name(definition: Mapping[str, Json]) -> str:
    """The selection state a definition is computed in ("$", the default state, when none)."""
    name = definition.get("qStateName")
    return name if isinstance(name, str) and name else "$"


def dimension_info(
    table: Table, selections: Selections, name: str, known: bool, *, cube_cardinal: int
) -> dict[str, Json]:
    """An NxDimensionInfo: title, cardinalities (field, cube, all values) and state counts."""
    info: dict[str, Json] = {
        "qFallbackTitle": name,
        "qGroupFieldDefs": [name],
        "qGroupFallbackTitles": [name],
        "qGroupPos": 0,
        "qSortIndicator": "A",
        "qDimensionType": "D",
        "qGrouping": "N",
        "qIsSemantic": False,
        "qLocked": False,
        "qTags": [],
        "qAttrExprInfo": [],
        "qAttrDimInfo": [],
    }
    if known:
        cardinal = len(table.distinct(name))
        info["qCardinal"] = cardinal
        info["qCardinalities"] = {
            "qCardinal": cardinal,
            "qHypercubeCardinal": cube_cardinal,
            "qAllValuesCardinal": cardinal,
        }
        info["qStateCounts"] = selections.state_counts(table, name)
        info["qApprMaxGlyphCount"] = max(
            (len(format_value(v)) for v in table.distinct(name)), default=0
        )
    else:
        info["qCardinal"] = 0
        info["qCardinalities"] = {"qCardinal": 0, "qHypercubeCardinal": 0, "qAllValuesCardinal": 0}
        info["qError"] = {"qErrorCode": CALC_INVALID_DEF}
    return info


def _measure_info(cube: _Cube, index: int) -> Json:
    measure = cube.measures[index]
    column = len(cube.dimensions) + index
    numbers = [row[column]["qNum"] for row in cube.matrix if isinstance(row[column]["qNum"], float)]
    info: dict[str, Json] = {
        "qFallbackTitle": measure.label,
        "qSortIndicator": "D",
        "qApprMaxGlyphCount": max((len(row[column]["qText"]) for row in cube.matrix), default=0),
        "qCardinal": 0,
        "qIsAutoFormat": True,
        "qNumFormat": {"qType": "U", "qnDec": 0, "qUseThou": 0},
        "qMin": min(numbers, default=0.0),
        "qMax": max(numbers, default=0.0),
        "qAttrExprInfo": [],
        "qAttrDimInfo": [],
    }
    if measure.aggregate is None:
        info["qError"] = {"qErrorCode": CALC_INVALID_DEF}
    return info


def _page(cube: _Cube, page: Page) -> Json:
    width = max(0, min(page.width, len(cube.dimensions) + len(cube.measures) - page.left))
    height = max(0, min(page.height, len(cube.matrix) - page.top))
    rows = cube.matrix[page.top : page.top + height]
    return {
        "qMatrix": [row[page.left : page.left + width] for row in rows],
        "qTails": [],
        "qArea": {"qLeft": page.left, "qTop": page.top, "qWidth": width, "qHeight": height},
    }


def _dimension_cell(value: Value, element: int, state: str) -> dict[str, Json]:
    return {"qText": format_value(value), "qNum": "NaN", "qElemNumber": element, "qState": state}


def _measure_cell(measure: _Measure, rows: list[Row]) -> dict[str, Json]:
    number = math.nan if measure.aggregate is None else measure.aggregate(rows)
    if math.isnan(number):
        return {"qText": "-", "qNum": "NaN", "qElemNumber": -2, "qState": "L", "qIsNull": True}
    return {"qText": format_value(number), "qNum": number, "qElemNumber": 0, "qState": "L"}


def format_value(value: Value) -> str:
    """Text the engine would show: strings as they are, whole numbers with thousands separators."""
    if isinstance(value, str):
        return value
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _numbers(values: list[Value]) -> list[float]:
    return [value for value in values if isinstance(value, float)]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else math.nan


def _lookup(value: Json, *keys: str) -> Json:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _items(value: Json) -> list[Json]:
    return value if isinstance(value, list) else []
