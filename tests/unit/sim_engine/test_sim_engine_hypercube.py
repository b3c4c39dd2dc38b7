"""Hypercubes computed from the data, honouring selections, with pages and errors like the engine."""

from __future__ import annotations

import pytest

from viewer.sim.engine.data import Table
from viewer.sim.engine.hypercube import (
    CALC_INVALID_DEF,
    Page,
    data_pages,
    format_value,
    hypercube_layout,
    page_from_json,
)
from viewer.sim.engine.selection import Selections

TABLE = Table(
    fields=("Region", "Product", "Sales"),
    rows=(
        ("North", "Bikes", 1000.0),
        ("North", "Locks", 5.0),
        ("South", "Bikes", 7.5),
        ("East", "Gloves", 1.0),
    ),
)


def cube_def(dimensions: list[str], measures: list[str], height: int = 10) -> dict[str, object]:
    return {
        "qDimensions": [{"qDef": {"qFieldDefs": [name]}} for name in dimensions],
        "qMeasures": [{"qDef": {"qDef": expression}} for expression in measures],
        "qInitialDataFetch": [{"qLeft": 0, "qTop": 0, "qWidth": 5, "qHeight": height}],
    }


def matrix(layout: dict[str, object]) -> list[list[object]]:
    cube = layout
    return [[cell["qText"] for cell in row] for row in cube["qDataPages"][0]["qMatrix"]]  # type: ignore[index]


def test_sum_by_dimension_sorted_with_element_numbers() -> None:
    layout = hypercube_layout(TABLE, Selections(), cube_def(["Region"], ["Sum(Sales)"]))
    assert layout["qSize"] == {"qcx": 2, "qcy": 3}
    assert matrix(layout) == [["East", "1"], ["North", "1,005"], ["South", "7.50"]]
    first_row = layout["qDataPages"][0]["qMatrix"][0]
    assert first_row[0]["qElemNumber"] == 2  # East is the third distinct Region
    assert first_row[1]["qNum"] == 1.0
    assert layout["qGrandTotalRow"][0]["qNum"] == 1013.5


def test_selections_filter_rows_and_mark_dimension_cells_selected() -> None:
    selections = Selections({"Product": ("Bikes",)})
    layout = hypercube_layout(TABLE, selections, cube_def(["Product", "Region"], ["Sum(Sales)"]))
    assert matrix(layout) == [["Bikes", "North", "1,000"], ["Bikes", "South", "7.50"]]
    states = [[cell["qState"] for cell in row] for row in layout["qDataPages"][0]["qMatrix"]]
    assert states == [["S", "O", "L"], ["S", "O", "L"]]
    assert layout["qDimensionInfo"][0]["qStateCounts"]["qSelected"] == 1


def test_kpi_without_dimensions_is_one_row_even_when_nothing_is_possible() -> None:
    kpi = cube_def([], ["Count(distinct Region)", "Avg(Sales)"])
    assert matrix(hypercube_layout(TABLE, Selections(), kpi)) == [["3", "253.38"]]
    nothing = Selections({"Region": ("East",), "Product": ("Bikes",)})
    layout = hypercube_layout(TABLE, nothing, kpi)
    assert matrix(layout) == [["0", "-"]]
    assert layout["qDataPages"][0]["qMatrix"][0][1]["qNum"] == "NaN"


def test_unknown_measure_or_field_gets_qerror_not_an_exception() -> None:
    layout = hypercube_layout(TABLE, Selections(), cube_def(["Nope"], ["Median(Sales)"]))
    assert layout["qDimensionInfo"][0]["qError"] == {"qErrorCode": CALC_INVALID_DEF}
    assert layout["qMeasureInfo"][0]["qError"] == {"qErrorCode": CALC_INVALID_DEF}
    assert layout["qSize"]["qcy"] == 0


def test_pages_are_clipped_to_the_cube() -> None:
    definition = cube_def(["Region"], ["Sum(Sales)"])
    (page,) = data_pages(TABLE, Selections(), definition, [Page(1, 1, 5, 5)])
    assert page["qArea"] == {"qLeft": 1, "qTop": 1, "qWidth": 1, "qHeight": 2}
    assert [[cell["qText"] for cell in row] for row in page["qMatrix"]] == [["1,005"], ["7.50"]]
    (empty,) = data_pages(TABLE, Selections(), definition, [Page(0, 50, 2, 2)])
    assert empty["qMatrix"] == []


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ([], "an object"),
        ({"qTop": -1}, "qTop"),
        ({"qWidth": "2"}, "qWidth"),
        ({"qLeft": True}, "qLeft"),
    ],
)
def test_bad_pages_are_refused_with_the_key(page: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        page_from_json(page)


def test_format_value() -> None:
    assert (format_value("x"), format_value(1234567.0), format_value(2.5)) == (
        "x",
        "1,234,567",
        "2.50",
    )
