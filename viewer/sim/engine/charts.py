"""Stored object properties shaped like the trees Qlik Sense saves for its chart types: KPI, bar
chart, table, filter pane with list boxes, and master dimensions/measures. A visualization that
renders from stored properties (nebula.js's, the sim page's) finds axes, totals, colours and
sorting where Qlik keeps them; the sim computes layouts from the `q…Def` parts only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Json = Any


def _dimension(field: str) -> dict[str, Json]:
    return {
        "qLibraryId": "",
        "qDef": {
            "qGrouping": "N",
            "qFieldDefs": [field],
            "qFieldLabels": [field],
            "qSortCriterias": [
                {"qSortByAscii": 1, "qSortByNumeric": 1, "qSortByLoadOrder": 1, "qExpression": {}}
            ],
            "autoSort": True,
            "othersLabel": "Others",
        },
        "qNullSuppression": False,
        "qOtherTotalSpec": {"qOtherMode": "OTHER_OFF", "qSuppressOther": False},
        "qShowAll": False,
        "qAttributeExpressions": [],
        "qAttributeDimensions": [],
    }


def _measure(expression: str, label: str) -> dict[str, Json]:
    return {
        "qLibraryId": "",
        "qDef": {
            "qLabel": label,
            "qDef": expression,
            "qNumFormat": {"qType": "U", "qnDec": 10, "qUseThou": 0},
            "autoSort": True,
            "numFormatFromTemplate": True,
        },
        "qSortBy": {"qSortByNumeric": -1},
        "qAttributeExpressions": [],
        "qAttributeDimensions": [],
    }


def _cube(
    dimensions: Sequence[str], measures: Sequence[tuple[str, str]], height: int = 100
) -> dict[str, Json]:
    width = len(dimensions) + len(measures)
    return {
        "qStateName": "",
        "qDimensions": [_dimension(name) for name in dimensions],
        "qMeasures": [_measure(expression, label) for expression, label in measures],
        "qInterColumnSortOrder": list(range(width)),
        "qSuppressZero": False,
        "qSuppressMissing": True,
        "qInitialDataFetch": [{"qLeft": 0, "qTop": 0, "qWidth": width, "qHeight": height}],
        "qMode": "S",
        "qAlwaysFullyExpanded": False,
        "qColumnOrder": [],
        "columnWidths": [],
    }


def _visualization(object_id: str, kind: str, title: str) -> dict[str, Json]:
    return {
        "qInfo": {"qId": object_id, "qType": kind},
        "qMetaDef": {"title": title},
        "visualization": kind,
        "version": "1.0.0",
        "showTitles": True,
        "title": title,
        "subtitle": "",
        "footnote": "",
        "showDetails": False,
    }


def kpi(object_id: str, title: str, expression: str, label: str) -> dict[str, Json]:
    """A KPI: one measure, its title shown, centred, medium font."""
    return {
        **_visualization(object_id, "kpi", title),
        "qHyperCubeDef": _cube([], [(expression, label)], height=1),
        "showMeasureTitle": True,
        "textAlign": "center",
        "fontSize": "M",
        "useLink": False,
        "sheetLink": "",
        "openUrlInNewTab": True,
        "color": {"auto": True, "useBaseColors": "off", "paletteColor": {"index": 6}},
    }


def bar(object_id: str, title: str, field: str, expression: str, label: str) -> dict[str, Json]:
    """A vertical bar chart of one measure over one dimension."""
    cube = _cube([field], [(expression, label)])
    return {
        **_visualization(object_id, "barchart", title),
        "qHyperCubeDef": cube,
        "orientation": "vertical",
        "barGrouping": {"grouping": "grouped"},
        "scrollStartPos": 0,
        "nullMode": "gap",
        "dataPoint": {"showLabels": True},
        "gridLine": {"auto": True, "spacing": 2},
        "color": {"auto": True, "mode": "primary", "paletteColor": {"index": 6}},
        "legend": {"show": True, "dock": "auto", "showTitle": True},
        "dimensionAxis": {"show": "all", "label": "auto", "dock": "near", "continuousAuto": True},
        "measureAxis": {
            "show": "all",
            "dock": "near",
            "spacing": 1,
            "autoMinMax": True,
            "minMax": "min",
            "min": 0,
            "max": 10,
            "logarithmic": False,
        },
        "refLine": {"refLines": []},
    }


def table(
    object_id: str, title: str, dimensions: Sequence[str], measures: Sequence[tuple[str, str]]
) -> dict[str, Json]:
    """A straight table with totals on top."""
    cube = _cube(dimensions, measures)
    cube["qColumnOrder"] = list(range(len(dimensions) + len(measures)))
    return {
        **_visualization(object_id, "table", title),
        "qHyperCubeDef": cube,
        "totals": {"show": True, "position": "top", "label": "Totals"},
        "scrolling": {"keepFirstColumnInView": False, "horizontal": True},
        "multiline": {"wrapTextInHeaders": True, "wrapTextInCells": True},
    }


def listbox(object_id: str, field: str) -> dict[str, Json]:
    """A list box (one field of a filter pane): a qListObjectDef sorted by state, then text."""
    return {
        "qInfo": {"qId": object_id, "qType": "listbox"},
        "qMetaDef": {},
        "visualization": "listbox",
        "title": field,
        "showTitles": True,
        "qListObjectDef": {
            "qStateName": "",
            "qLibraryId": "",
            "qDef": {
                "qFieldDefs": [field],
                "qFieldLabels": [field],
                "qGrouping": "N",
                "qSortCriterias": [
                    {"qSortByState": 1, "qSortByAscii": 1, "qSortByNumeric": 1, "qExpression": {}}
                ],
                "autoSort": True,
            },
            "qAutoSortByState": {"qDisplayNumberOfRows": -1},
            "qFrequencyMode": "N",
            "qShowAlternatives": True,
            "qInitialDataFetch": [{"qTop": 0, "qLeft": 0, "qWidth": 1, "qHeight": 1000}],
            "qExpressions": [],
        },
    }


def filterpane(object_id: str) -> dict[str, Json]:
    """A filter pane: its list boxes are its children (App.children)."""
    return {
        "qInfo": {"qId": object_id, "qType": "filterpane"},
        "qMetaDef": {},
        "visualization": "filterpane",
        "showTitles": False,
        "title": "",
        "subtitle": "",
        "footnote": "",
        "qChildListDef": {"qData": {"title": "/title", "visualization": "/visualization"}},
    }


def master_dimension(dimension_id: str, field: str, description: str) -> dict[str, Json]:
    """A master dimension (GetDimension, qDimensionListDef)."""
    return {
        "qInfo": {"qId": dimension_id, "qType": "dimension"},
        "qMetaDef": {"title": field, "description": description, "tags": []},
        "qDim": {
            "qGrouping": "N",
            "qFieldDefs": [field],
            "qFieldLabels": [field],
            "title": field,
        },
        "title": field,
        "description": description,
        "tags": [],
    }


def master_measure(measure_id: str, label: str, expression: str) -> dict[str, Json]:
    """A master measure (GetMeasure, qMeasureListDef)."""
    return {
        "qInfo": {"qId": measure_id, "qType": "measure"},
        "qMetaDef": {"title": label, "description": "", "tags": []},
        "qMeasure": {"qLabel": label, "qDef": expression, "qGrouping": "N"},
        "title": label,
        "description": "",
        "tags": [],
    }
