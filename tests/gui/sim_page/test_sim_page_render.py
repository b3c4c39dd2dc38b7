"""The /single/ page renders sheets and objects from its own engine socket, in the requested
theme and language, and shows Qlik-like error pages (real sim, real QWebEngineView)."""

from __future__ import annotations

import pytest
from sheet_driver import PageDriver

from viewer.sim import page
from viewer.sim.engine.data import sample_apps
from viewer.sim.engine.hypercube import format_value

pytestmark = pytest.mark.gui

SALES = sample_apps()[0]
BARS = "[data-object-id=bar-region] .bar"
MIN_BAR_PIXELS = 2000  # four bars of a half-sheet chart cover far more than this


def test_the_sheet_shows_kpis_bars_and_a_table_with_the_engines_numbers(sheet: PageDriver) -> None:
    facts = sheet.open(appid=SALES.info.id, sheet="sales-overview")

    assert facts["state"] == "ready", facts["error"]
    assert facts["objectIds"] == [
        "kpi-sales",
        "kpi-quantity",
        "bar-region",
        "table-product",
        "filter-sales",
    ]
    total_sales = format_value(sum(float(row[3]) for row in SALES.table.rows))
    assert (
        sheet.js("document.querySelector('[data-object-id=kpi-sales] .kpi-value').textContent")
        == total_sales
    )
    assert sheet.js(f"[...document.querySelectorAll('{BARS}')].map(b => b.dataset.text)") == [
        "East",
        "North",
        "South",
        "West",
    ]
    assert (
        sheet.js("document.querySelectorAll('[data-object-id=table-product] tbody tr').length") == 5
    )
    assert sheet.js("document.getElementById('sheet-title').textContent") == "Overview"
    sheet.wait_pixels(sheet.css_color(BARS, "fill"), at_least=MIN_BAR_PIXELS)


def test_a_click_in_the_filter_pane_selects_and_filters_the_other_objects(
    sheet: PageDriver,
) -> None:
    assert sheet.open(appid=SALES.info.id, sheet="sales-overview")["state"] == "ready"
    regions = "[data-object-id=filter-sales-region] .value"
    assert sheet.js(f"[...document.querySelectorAll('{regions}')].map(v => v.textContent)") == [
        "East",
        "North",
        "South",
        "West",
    ]
    sheet.click(f'{regions}[data-elem="{SALES.table.distinct("Region").index("North")}"]')

    sheet.wait_until(f"document.querySelector('{regions}').dataset.state === 'S'")
    assert sheet.js(f"document.querySelector('{regions}').textContent") == "North"
    north = sum(float(row[3]) for row in SALES.table.rows if row[0] == "North")
    sheet.wait_until(
        "document.querySelector('[data-object-id=kpi-sales] .kpi-value').textContent"
        f" === {format_value(north)!r}"
    )
    bars = f"[...document.querySelectorAll('{BARS}')].map(b => b.getAttribute('class'))"
    assert sheet.js(bars).count("bar state-S") == 1
    products = "[data-object-id=filter-sales-product] .value"
    assert set(
        sheet.js(f"[...document.querySelectorAll('{products}')].map(v => v.dataset.state)")
    ) == {"O"}


def test_obj_shows_that_one_object(sheet: PageDriver) -> None:
    facts = sheet.open(appid=SALES.info.id, obj="bar-month")

    assert facts["state"] == "ready", facts["error"]
    assert facts["objectIds"] == ["bar-month"]
    assert sheet.js("document.querySelectorAll('.bar').length") == 12
    sheet.wait_pixels(sheet.css_color(".bar", "fill"), at_least=MIN_BAR_PIXELS)


def test_theme_changes_the_colours(sheet: PageDriver) -> None:
    assert sheet.open(appid=SALES.info.id, theme="sense")["theme"] == "sense"
    sense_bar = sheet.css_color(BARS, "fill")
    sense_background = sheet.css_color("body", "backgroundColor")

    assert sheet.open(appid=SALES.info.id, theme="dark")["theme"] == "dark"
    dark_bar = sheet.css_color(BARS, "fill")
    dark_background = sheet.css_color("body", "backgroundColor")

    assert dark_bar != sense_bar
    assert sum(dark_background) < sum(sense_background) / 2
    sheet.wait_pixels(dark_bar, at_least=MIN_BAR_PIXELS)
    assert sheet.count_pixels(sense_bar) == 0
    sheet.wait_pixels(dark_background, at_least=20_000)


def test_lang_changes_the_labels(sheet: PageDriver) -> None:
    english, german = page.labels_for("en"), page.labels_for("de")
    sheet.open(appid=SALES.info.id, opt="currsel")
    assert sheet.js("document.querySelector('.clear-all').textContent") == english["clearAll"]

    facts = sheet.open(appid=SALES.info.id, opt="currsel", lang="de-DE")
    assert facts["lang"] == "de"
    assert sheet.js("document.querySelector('.clear-all').textContent") == german["clearAll"]
    assert (
        sheet.js("document.querySelector('.selections-label').textContent") == german["selections"]
    )
    assert sheet.js("document.documentElement.lang") == "de"


def test_an_unknown_app_shows_an_error_page(sheet: PageDriver) -> None:
    facts = sheet.open(appid="no-such-app", lang="de")

    assert facts is None  # the error page runs no script
    assert sheet.js("document.body.dataset.error") == "app-not-found"
    message = page.fill(page.labels_for("de")["appNotFound"], id="no-such-app")
    assert sheet.js("document.getElementById('dialog-message').textContent") == message


def test_an_unknown_sheet_shows_an_error_page(sheet: PageDriver) -> None:
    sheet.open(appid=SALES.info.id, sheet="no-such-sheet")

    assert sheet.js("document.body.dataset.state") == "error"
    assert sheet.js("document.body.dataset.error") == "sheet-not-found"


def test_over_https_the_page_uses_a_secure_engine_socket(tls_sheet: PageDriver) -> None:
    facts = tls_sheet.open(appid=SALES.info.id)

    assert facts["state"] == "ready", facts["error"]
    assert tls_sheet.js("location.protocol") == "https:"
    tls_sheet.wait_pixels(tls_sheet.css_color(BARS, "fill"), at_least=MIN_BAR_PIXELS)
