"""The simulated apps: deterministic generated data tables and the objects stored in each app.

Everything here is built from fixed seeds, so two runs (and two machines) see the same numbers.
Apps are immutable; per-session state (selections, session objects) lives in `objects`.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

Json = Any
"""A JSON value as produced by `json.loads` (dict, list, str, int, float, bool or None)."""

_APP_NAMESPACE = uuid.UUID("6f1d7c3e-2b8a-4f5e-9c0d-3a1b2c4d5e6f")


@dataclass(frozen=True)
class SheetInfo:
    """A sheet as announced in the sim's ready line."""

    id: str
    title: str


@dataclass(frozen=True)
class AppInfo:
    """An app as announced in the sim's ready line."""

    id: str
    name: str
    sheets: tuple[SheetInfo, ...]


@dataclass(frozen=True)
class Table:
    """One flat data table: field names and rows of values (text for dimensions, numbers for facts)."""

    fields: tuple[str, ...]
    rows: tuple[tuple[str | float, ...], ...]

    def column(self, name: str) -> int:
        """Index of field `name`; raises KeyError when the table has no such field."""
        try:
            return self.fields.index(name)
        except ValueError:
            raise KeyError(name) from None

    def distinct(self, name: str) -> tuple[str | float, ...]:
        """The field's distinct values in load order: a value's index is its qElemNumber."""
        index = self.column(name)
        return tuple(dict.fromkeys(row[index] for row in self.rows))


@dataclass(frozen=True)
class Bookmark:
    """A stored selection state that ApplyBookmark restores."""

    id: str
    title: str
    selections: Mapping[str, tuple[str, ...]]


@dataclass(eq=True)
class App:
    """A simulated Qlik app: its data, its stored objects (sheets, charts, appprops) and bookmarks.
    `reload()` stamps a new qLastReloadTime (the data stays the same)."""

    info: AppInfo
    last_reload_time: str
    table: Table
    objects: Mapping[str, Mapping[str, Json]]
    bookmarks: tuple[Bookmark, ...] = ()
    description: str = ""

    def reload(self, at: datetime | None = None) -> str:
        """Reload: a new qLastReloadTime (returned)."""
        self.last_reload_time = iso_time(at or datetime.now(UTC))
        return self.last_reload_time


def iso_time(moment: datetime) -> str:
    """A time as the engine writes qLastReloadTime: UTC, milliseconds, `Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def sample_apps() -> list[App]:
    """The sim's apps: "Sales" (two sheets) and "Inventory" (one sheet), always the same."""
    return [_sales_app(), _inventory_app()]


def _app_id(name: str) -> str:
    return str(uuid.uuid5(_APP_NAMESPACE, name))


def _sales_table() -> Table:
    rng = random.Random(20240501)  # noqa: S311 (fixed sample data, not secrets)
    regions = ("North", "South", "East", "West")
    products = (("Bikes", 640), ("Helmets", 45), ("Gloves", 18), ("Lights", 25), ("Locks", 32))
    months = tuple(f"2025-{month:02d}" for month in range(1, 13))
    rows = []
    for region in regions:
        for month in months:
            for product, price in products:
                quantity = rng.randint(5, 120)
                rows.append((region, month, product, float(quantity * price), float(quantity)))
    return Table(fields=("Region", "Month", "Product", "Sales", "Quantity"), rows=tuple(rows))


def _inventory_table() -> Table:
    rng = random.Random(20240502)  # noqa: S311 (fixed sample data, not secrets)
    rows = []
    for warehouse in ("Oslo", "Lyon", "Porto"):
        for category in ("Frames", "Wheels", "Tyres", "Chains"):
            rows.append((warehouse, category, float(rng.randint(0, 900))))
    return Table(fields=("Warehouse", "Category", "Stock"), rows=tuple(rows))


def _chart(
    object_id: str,
    visualization: str,
    title: str,
    dimensions: Sequence[str],
    measures: Sequence[tuple[str, str]],
) -> dict[str, Json]:
    width = len(dimensions) + len(measures)
    return {
        "qInfo": {"qId": object_id, "qType": visualization},
        "qMetaDef": {"title": title},
        "visualization": visualization,
        "title": title,
        "qHyperCubeDef": {
            "qDimensions": [
                {"qDef": {"qFieldDefs": [name], "qFieldLabels": [name]}} for name in dimensions
            ],
            "qMeasures": [
                {"qDef": {"qDef": expression, "qLabel": label}} for expression, label in measures
            ],
            "qInitialDataFetch": [{"qLeft": 0, "qTop": 0, "qWidth": width, "qHeight": 100}],
            "qMode": "S",
        },
    }


def _sheet(
    sheet_id: str, title: str, rank: int, cells: Sequence[tuple[str, str]]
) -> dict[str, Json]:
    """A sheet whose cells are laid out on a 24-column grid, two objects per row of height 6."""
    return {
        "qInfo": {"qId": sheet_id, "qType": "sheet"},
        "qMetaDef": {"title": title, "description": ""},
        "title": title,
        "rank": rank,
        "columns": 24,
        "rows": 12,
        "cells": [
            {
                "name": object_id,
                "type": kind,
                "col": 12 * (position % 2),
                "row": 6 * (position // 2),
                "colspan": 12,
                "rowspan": 6,
            }
            for position, (object_id, kind) in enumerate(cells)
        ],
        "qChildListDef": {"qData": {"title": "/title", "visualization": "/visualization"}},
    }


def _appprops(theme: str) -> dict[str, Json]:
    return {"qInfo": {"qId": "AppPropsList", "qType": "appprops"}, "qMetaDef": {}, "theme": theme}


def _objects(*objects: dict[str, Json]) -> dict[str, Mapping[str, Json]]:
    return {obj["qInfo"]["qId"]: obj for obj in objects}


def _sales_app() -> App:
    sheets = (SheetInfo("sales-overview", "Overview"), SheetInfo("sales-trend", "Trend"))
    objects = _objects(
        _appprops("sense"),
        _sheet(
            "sales-overview",
            "Overview",
            0,
            [
                ("kpi-sales", "kpi"),
                ("kpi-quantity", "kpi"),
                ("bar-region", "barchart"),
                ("table-product", "table"),
            ],
        ),
        _sheet("sales-trend", "Trend", 1, [("bar-month", "barchart"), ("table-region", "table")]),
        _chart("kpi-sales", "kpi", "Total sales", [], [("Sum(Sales)", "Sales")]),
        _chart("kpi-quantity", "kpi", "Units sold", [], [("Sum(Quantity)", "Quantity")]),
        _chart("bar-region", "barchart", "Sales by region", ["Region"], [("Sum(Sales)", "Sales")]),
        _chart("bar-month", "barchart", "Sales by month", ["Month"], [("Sum(Sales)", "Sales")]),
        _chart(
            "table-product",
            "table",
            "Products",
            ["Product"],
            [("Sum(Sales)", "Sales"), ("Sum(Quantity)", "Quantity")],
        ),
        _chart(
            "table-region",
            "table",
            "Region and product",
            ["Region", "Product"],
            [("Sum(Sales)", "Sales")],
        ),
    )
    return App(
        info=AppInfo(_app_id("Sales"), "Sales", sheets),
        last_reload_time="2026-01-15T06:00:00.000Z",
        table=_sales_table(),
        objects=objects,
        bookmarks=(
            Bookmark("bm-north", "North only", {"Region": ("North",)}),
            Bookmark("bm-bikes-q1", "Bikes in Q1", {"Product": ("Bikes",), "Month": _q1()}),
        ),
        description="Bicycle shop sales by region, month and product.",
    )


def _q1() -> tuple[str, ...]:
    return ("2025-01", "2025-02", "2025-03")


def _inventory_app() -> App:
    sheets = (SheetInfo("inventory-stock", "Stock"),)
    objects = _objects(
        _appprops("sense"),
        _sheet(
            "inventory-stock",
            "Stock",
            0,
            [("kpi-stock", "kpi"), ("bar-warehouse", "barchart"), ("table-category", "table")],
        ),
        _chart("kpi-stock", "kpi", "Units in stock", [], [("Sum(Stock)", "Stock")]),
        _chart(
            "bar-warehouse",
            "barchart",
            "Stock by warehouse",
            ["Warehouse"],
            [("Sum(Stock)", "Stock")],
        ),
        _chart(
            "table-category", "table", "Stock by category", ["Category"], [("Sum(Stock)", "Stock")]
        ),
    )
    return App(
        info=AppInfo(_app_id("Inventory"), "Inventory", sheets),
        last_reload_time="2026-01-14T22:30:00.000Z",
        table=_inventory_table(),
        objects=objects,
        description="Warehouse stock levels.",
    )
