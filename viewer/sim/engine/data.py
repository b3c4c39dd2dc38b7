"""The simulated apps: deterministic generated data tables and the objects stored in each app.

Everything here is built from fixed seeds, so two runs (and two machines) see the same numbers.
An app's data changes only when it is reloaded (`App.reload`: the next generation of its table,
a new qLastReloadTime); per-session state (selections, session objects) lives in the session.
The stored objects carry the property trees Qlik saves for its chart types (see `charts.py`).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from viewer.sim.engine import charts

Json = Any
"""A JSON value as produced by `json.loads` (dict, list, str, int, float, bool or None)."""

_APP_NAMESPACE = uuid.UUID("6f1d7c3e-2b8a-4f5e-9c0d-3a1b2c4d5e6f")


@dataclass(frozen=True)
class SheetInfo:
    """A sheet as announced in the sim's ready line."""

    id: str
    title: str
    description: str = ""


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
    description: str = ""

    def properties(self) -> dict[str, Json]:
        """The bookmark's properties as the engine stores them (what list qData pointers read)."""
        return {
            "qInfo": {"qId": self.id, "qType": "bookmark"},
            "qMetaDef": {"title": self.title, "description": self.description},
            "title": self.title,
            "description": self.description,
            "creationDate": "2026-01-10T09:00:00.000Z",
        }


@dataclass(frozen=True)
class Variable:
    """A script-defined variable (GetVariableByName, qVariableListDef)."""

    id: str
    name: str
    definition: str
    comment: str = ""


@dataclass(eq=True)
class App:
    """A simulated Qlik app: its data, its stored objects (sheets, charts, filter panes, appprops),
    master items, bookmarks and variables, and who owns it where.

    `children` names the objects that live inside another object (a filter pane's list boxes);
    a sheet's objects are its `cells`. `reload()` moves the app to its next data generation."""

    info: AppInfo
    last_reload_time: str
    table: Table
    objects: Mapping[str, Mapping[str, Json]]
    bookmarks: tuple[Bookmark, ...] = ()
    description: str = ""
    space: str = ""
    owner: str = "alice"
    children: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    master_items: Mapping[str, Mapping[str, Json]] = field(default_factory=dict)
    variables: tuple[Variable, ...] = ()
    reloads: int = 0
    make_table: Callable[[int], Table] | None = field(default=None, compare=False, repr=False)

    def reload(self, at: datetime | None = None) -> str:
        """Reload: the next generation of the data and a new qLastReloadTime (returned)."""
        moment = at or datetime.now(UTC)
        self.reloads += 1
        self.last_reload_time = iso_time(moment)
        if self.make_table is not None:
            self.table = self.make_table(self.reloads)
        return self.last_reload_time

    def sheet(self, sheet_id: str) -> SheetInfo | None:
        return next((sheet for sheet in self.info.sheets if sheet.id == sheet_id), None)


def iso_time(moment: datetime) -> str:
    """A time as the engine writes qLastReloadTime: UTC, milliseconds, `Z`."""
    utc = moment.astimezone(UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def space_id(name: str) -> str:
    """The stable id of a space (Cloud) or stream (client-managed) by its name."""
    return str(uuid.uuid5(_APP_NAMESPACE, f"space:{name}"))


def sample_apps() -> list[App]:
    """The sim's apps, always the same: Sales and Inventory first (their ids and sheet ids are
    what tests and the demo use), then Customer Service and Finance."""
    return [_sales_app(), _inventory_app(), _service_app(), _finance_app()]


def _app_id(name: str) -> str:
    return str(uuid.uuid5(_APP_NAMESPACE, name))


def _sales_table(generation: int = 0) -> Table:
    rng = random.Random(20240501 + generation)  # noqa: S311 (fixed sample data, not secrets)
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


def _inventory_table(generation: int = 0) -> Table:
    rng = random.Random(20240502 + generation)  # noqa: S311 (fixed sample data, not secrets)
    rows = []
    for warehouse in ("Oslo", "Lyon", "Porto"):
        for category in ("Frames", "Wheels", "Tyres", "Chains"):
            rows.append((warehouse, category, float(rng.randint(0, 900))))
    return Table(fields=("Warehouse", "Category", "Stock"), rows=tuple(rows))


def _service_table(generation: int = 0) -> Table:
    rng = random.Random(20240503 + generation)  # noqa: S311 (fixed sample data, not secrets)
    rows = []
    for channel in ("Phone", "E-mail", "Chat"):
        for month in (f"2025-{m:02d}" for m in range(1, 7)):
            for priority in ("High", "Normal", "Low"):
                tickets = rng.randint(10, 200)
                rows.append((channel, month, priority, float(tickets), float(rng.randint(1, 72))))
    fields = ("Channel", "Month", "Priority", "Tickets", "Hours")
    return Table(fields=fields, rows=tuple(rows))


def _finance_table(generation: int = 0) -> Table:
    rng = random.Random(20240504 + generation)  # noqa: S311 (fixed sample data, not secrets)
    rows = []
    for account in ("Revenue", "Salaries", "Rent", "Marketing", "Travel"):
        for quarter in ("Q1", "Q2", "Q3", "Q4"):
            budget = float(rng.randint(20, 200) * 1000)
            actual = float(round(budget * rng.uniform(0.8, 1.2)))
            rows.append((account, quarter, actual, budget))
    return Table(fields=("Account", "Quarter", "Amount", "Budget"), rows=tuple(rows))


Cell = tuple[str, str, tuple[int, int, int, int]]
"""A sheet's cell: object id, type, (col, row, colspan, rowspan) on the sheet's 24 x 12 grid."""


def _sheets(
    *layouts: tuple[SheetInfo, Sequence[Cell]],
) -> tuple[tuple[SheetInfo, ...], list[dict[str, Json]]]:
    """An app's sheets, in order (their rank), each announced as its `SheetInfo` and laid out in
    its cells: the infos and the stored sheet objects."""
    infos = tuple(info for info, _ in layouts)
    return infos, [_sheet(info, rank, cells) for rank, (info, cells) in enumerate(layouts)]


def _sheet(info: SheetInfo, rank: int, cells: Sequence[Cell]) -> dict[str, Json]:
    """A sheet whose cells sit on a 24 x 12 grid."""
    return {
        "qInfo": {"qId": info.id, "qType": "sheet"},
        "qMetaDef": {"title": info.title, "description": info.description},
        "title": info.title,
        "description": info.description,
        "rank": rank,
        "columns": 24,
        "rows": 12,
        "cells": [
            {
                "name": object_id,
                "type": kind,
                "col": col,
                "row": row,
                "colspan": colspan,
                "rowspan": rowspan,
            }
            for object_id, kind, (col, row, colspan, rowspan) in cells
        ],
        "qChildListDef": {"qData": {"title": "/title", "visualization": "/visualization"}},
    }


def _two_by_two(ids: Sequence[tuple[str, str]], *, left: int = 0) -> list[Cell]:
    """Objects two per row, each half of the columns right of `left`, six rows high."""
    width = (24 - left) // 2
    return [
        (object_id, kind, (left + width * (n % 2), 6 * (n // 2), width, 6))
        for n, (object_id, kind) in enumerate(ids)
    ]


def _appprops(theme: str) -> dict[str, Json]:
    return {"qInfo": {"qId": "AppPropsList", "qType": "appprops"}, "qMetaDef": {}, "theme": theme}


def _objects(*objects: dict[str, Json]) -> dict[str, Mapping[str, Json]]:
    return {obj["qInfo"]["qId"]: obj for obj in objects}


def _filter_pane(
    pane_id: str, fields: Sequence[str]
) -> tuple[list[dict[str, Json]], dict[str, tuple[str, ...]]]:
    """A filter pane with one list box per field: the objects and the pane's children."""
    boxes = [charts.listbox(f"{pane_id}-{name.lower()}", name) for name in fields]
    pane = charts.filterpane(pane_id)
    return [pane, *boxes], {pane_id: tuple(box["qInfo"]["qId"] for box in boxes)}


def _sales_app() -> App:
    sheets, sheet_objects = _sheets(
        (
            SheetInfo(
                "sales-overview", "Overview", "Sales, units and the best regions at a glance."
            ),
            [
                ("kpi-sales", "kpi", (4, 0, 10, 3)),
                ("kpi-quantity", "kpi", (14, 0, 10, 3)),
                ("bar-region", "barchart", (4, 3, 10, 9)),
                ("table-product", "table", (14, 3, 10, 9)),
                ("filter-sales", "filterpane", (0, 0, 4, 12)),
            ],
        ),
        (
            SheetInfo("sales-trend", "Trend", "Month by month, region by product."),
            _two_by_two([("bar-month", "barchart"), ("table-region", "table")]),
        ),
        (
            SheetInfo("sales-products", "Products", "What sells: revenue and units per product."),
            _two_by_two([("bar-product", "barchart"), ("kpi-products", "kpi")]),
        ),
    )
    pane, children = _filter_pane("filter-sales", ("Region", "Product", "Month"))
    objects = _objects(
        _appprops("sense"),
        *sheet_objects,
        charts.kpi("kpi-sales", "Total sales", "Sum(Sales)", "Sales"),
        charts.kpi("kpi-quantity", "Units sold", "Sum(Quantity)", "Quantity"),
        charts.bar("bar-region", "Sales by region", "Region", "Sum(Sales)", "Sales"),
        charts.bar("bar-month", "Sales by month", "Month", "Sum(Sales)", "Sales"),
        charts.bar("bar-product", "Sales by product", "Product", "Sum(Sales)", "Sales"),
        charts.kpi("kpi-products", "Products sold", "Count(distinct Product)", "Products"),
        charts.table(
            "table-product",
            "Products",
            ["Product"],
            [("Sum(Sales)", "Sales"), ("Sum(Quantity)", "Quantity")],
        ),
        charts.table(
            "table-region", "Region and product", ["Region", "Product"], [("Sum(Sales)", "Sales")]
        ),
        *pane,
    )
    return App(
        info=AppInfo(_app_id("Sales"), "Sales", sheets),
        last_reload_time="2026-01-15T06:00:00.000Z",
        table=_sales_table(),
        objects=objects,
        bookmarks=(
            Bookmark("bm-north", "North only", {"Region": ("North",)}, "The northern region."),
            Bookmark("bm-bikes-q1", "Bikes in Q1", {"Product": ("Bikes",), "Month": _q1()}),
        ),
        description="Bicycle shop sales by region, month and product.",
        space="Sales analytics",
        owner="alice",
        children=children,
        master_items=_objects(
            charts.master_dimension("dim-region", "Region", "Sales region"),
            charts.master_measure("msr-sales", "Total sales", "Sum(Sales)"),
        ),
        variables=(
            Variable("var-target", "vSalesTarget", "1500000", "Yearly sales target"),
            Variable("var-currency", "vCurrency", "'EUR'"),
        ),
        make_table=_sales_table,
    )


def _q1() -> tuple[str, ...]:
    return ("2025-01", "2025-02", "2025-03")


def _inventory_app() -> App:
    sheets, sheet_objects = _sheets(
        (
            SheetInfo("inventory-stock", "Stock", "Units in stock by warehouse and category."),
            _two_by_two(
                [("kpi-stock", "kpi"), ("bar-warehouse", "barchart"), ("table-category", "table")]
            ),
        ),
        (
            SheetInfo("inventory-warehouses", "Warehouses", "Each warehouse's categories."),
            _two_by_two([("table-warehouse", "table"), ("kpi-categories", "kpi")]),
        ),
    )
    objects = _objects(
        _appprops("sense"),
        *sheet_objects,
        charts.kpi("kpi-stock", "Units in stock", "Sum(Stock)", "Stock"),
        charts.bar("bar-warehouse", "Stock by warehouse", "Warehouse", "Sum(Stock)", "Stock"),
        charts.table(
            "table-category", "Stock by category", ["Category"], [("Sum(Stock)", "Stock")]
        ),
        charts.table(
            "table-warehouse",
            "Warehouse and category",
            ["Warehouse", "Category"],
            [("Sum(Stock)", "Stock")],
        ),
        charts.kpi("kpi-categories", "Categories", "Count(distinct Category)", "Categories"),
    )
    return App(
        info=AppInfo(_app_id("Inventory"), "Inventory", sheets),
        last_reload_time="2026-01-14T22:30:00.000Z",
        table=_inventory_table(),
        objects=objects,
        description="Warehouse stock levels.",
        space="Operations",
        owner="bob",
        make_table=_inventory_table,
    )


def _service_app() -> App:
    sheets, sheet_objects = _sheets(
        (
            SheetInfo("service-tickets", "Tickets", "Tickets by channel and month."),
            _two_by_two(
                [
                    ("kpi-tickets", "kpi"),
                    ("bar-channel", "barchart"),
                    ("filter-service", "filterpane"),
                ]
            ),
        ),
        (
            SheetInfo("service-resolution", "Resolution", "Hours to resolve, by priority."),
            _two_by_two([("table-priority", "table"), ("kpi-hours", "kpi")]),
        ),
    )
    pane, children = _filter_pane("filter-service", ("Channel", "Priority"))
    objects = _objects(
        _appprops("horizon"),
        *sheet_objects,
        charts.kpi("kpi-tickets", "Tickets", "Sum(Tickets)", "Tickets"),
        charts.bar("bar-channel", "Tickets by channel", "Channel", "Sum(Tickets)", "Tickets"),
        charts.table(
            "table-priority", "Resolution by priority", ["Priority"], [("Avg(Hours)", "Hours")]
        ),
        charts.kpi("kpi-hours", "Average hours to resolve", "Avg(Hours)", "Hours"),
        *pane,
    )
    return App(
        info=AppInfo(_app_id("Customer Service"), "Customer Service", sheets),
        last_reload_time="2026-01-15T04:15:00.000Z",
        table=_service_table(),
        objects=objects,
        description="Support tickets and how fast they are resolved.",
        space="Operations",
        owner="bob",
        children=children,
        make_table=_service_table,
    )


def _finance_app() -> App:
    sheets, sheet_objects = _sheets(
        (
            SheetInfo("finance-budget", "Budget vs actual", "Each account against its budget."),
            _two_by_two(
                [("kpi-amount", "kpi"), ("kpi-budget", "kpi"), ("bar-account", "barchart")]
            ),
        ),
        (
            SheetInfo("finance-accounts", "Accounts", "Amounts per account and quarter."),
            _two_by_two([("table-quarter", "table")]),
        ),
    )
    objects = _objects(
        _appprops("sense"),
        *sheet_objects,
        charts.kpi("kpi-amount", "Actual", "Sum(Amount)", "Amount"),
        charts.kpi("kpi-budget", "Budget", "Sum(Budget)", "Budget"),
        charts.bar("bar-account", "Actual by account", "Account", "Sum(Amount)", "Amount"),
        charts.table(
            "table-quarter",
            "Accounts by quarter",
            ["Account", "Quarter"],
            [("Sum(Amount)", "Amount"), ("Sum(Budget)", "Budget")],
        ),
    )
    return App(
        info=AppInfo(_app_id("Finance"), "Finance", sheets),
        last_reload_time="2026-01-13T23:00:00.000Z",
        table=_finance_table(),
        objects=objects,
        description="Budget and actuals per account.",
        space="Finance",
        owner="alice",
        make_table=_finance_table,
    )
