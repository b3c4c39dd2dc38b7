"""The sample apps: deterministic, self-consistent, and shaped like the ready line needs."""

from __future__ import annotations

import re

from viewer.sim.engine.data import sample_apps


def test_sample_apps_are_identical_on_every_call() -> None:
    assert sample_apps() == sample_apps()


def test_app_ids_are_unique_guids_and_reload_times_are_iso() -> None:
    apps = sample_apps()
    ids = [app.info.id for app in apps]
    assert len(set(ids)) == len(ids) >= 4
    for app in apps:
        assert re.fullmatch(r"[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}", app.info.id)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", app.last_reload_time)


def test_every_announced_sheet_exists_and_its_cells_name_stored_objects() -> None:
    for app in sample_apps():
        assert app.info.sheets
        for sheet in app.info.sheets:
            properties = app.objects[sheet.id]
            assert properties["qInfo"]["qType"] == "sheet"
            assert properties["qMetaDef"]["title"] == sheet.title
            for cell in properties["cells"]:
                assert cell["name"] in app.objects


def test_sales_has_kpi_bar_chart_and_table_and_a_theme() -> None:
    sales = sample_apps()[0]
    types = {properties["qInfo"]["qType"] for properties in sales.objects.values()}
    assert {"kpi", "barchart", "table", "sheet", "appprops"} <= types
    assert sales.objects["AppPropsList"]["theme"] == "sense"
    assert sales.table.fields == ("Region", "Month", "Product", "Sales", "Quantity")
    assert len(sales.table.rows) == 4 * 12 * 5


def test_distinct_values_keep_load_order() -> None:
    table = sample_apps()[0].table
    assert table.distinct("Region") == ("North", "South", "East", "West")
    assert table.distinct("Month")[0] == "2025-01"
