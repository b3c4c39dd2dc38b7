"""The /single/ page behind a client-managed virtual proxy: signs in through the proxy's
login, takes its csrf token from `<prefix>/qps/csrftoken` and its engine socket under the
prefix, and selects like on Qlik Cloud (real sim, real QWebEngineView)."""

from __future__ import annotations

import pytest
from sheet_driver import PageDriver

from viewer.sim.engine.data import sample_apps

pytestmark = pytest.mark.gui

INVENTORY = sample_apps()[1]
BARS = "[data-object-id=bar-warehouse] .bar"


def test_the_page_works_under_the_virtual_proxy_prefix(qseow_sheet: PageDriver) -> None:
    facts = qseow_sheet.open(appid=INVENTORY.info.id, identity="wall-q", opt="currsel")

    assert facts["state"] == "ready", facts["error"]
    assert facts["objectIds"] == ["kpi-stock", "bar-warehouse", "table-category"]
    qseow_sheet.wait_pixels(qseow_sheet.css_color(BARS, "fill"), at_least=2000)

    qseow_sheet.click(f'{BARS}[data-text="Lyon"]')

    qseow_sheet.wait_until("simPage.selections.length === 1")
    assert qseow_sheet.facts()["selections"] == [{"field": "Warehouse", "values": ["Lyon"]}]
