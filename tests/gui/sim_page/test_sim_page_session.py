"""The /single/ page shares its engine session: a bar click selects for every socket of that
session, link parameters select on load, and a lost socket shows a dialog (real sim)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
from sheet_driver import EngineProbe, PageDriver, post_fault

from viewer.sim import page
from viewer.sim.engine.data import sample_apps
from viewer.sim.server import RunningSim

pytestmark = pytest.mark.gui

Runner = Callable[[Coroutine[Any, Any, Any], float], Any]
SALES = sample_apps()[0]
IDENTITY = "wall-7"
BARS = "[data-object-id=bar-region] .bar"
NORTH_ONLY = [{"field": "Region", "values": ["North"]}]


@pytest.fixture
def probe(page_sim: RunningSim, run_async: Runner) -> Iterator[EngineProbe]:
    """A second socket of alice's engine session for the Sales app and IDENTITY, doc open."""
    url = page_sim.url.replace("http", "ws", 1) + f"/app/{SALES.info.id}/identity/{IDENTITY}"
    headers = {"Authorization": f"Bearer {page_sim.ready['credentials']['api_key']}"}
    engine: EngineProbe = run_async(EngineProbe.connect(url, headers), 10.0)
    run_async(engine.call(-1, "OpenDoc", SALES.info.id), 10.0)
    yield engine
    run_async(engine.close(), 10.0)


def _region_states(run_async: Runner, probe: EngineProbe) -> list[tuple[str, str]]:
    async def states() -> list[tuple[str, str]]:
        doc = (await probe.call(-1, "GetActiveDoc"))["qReturn"]["qHandle"]
        chart = (await probe.call(doc, "GetObject", "bar-region"))["qReturn"]["qHandle"]
        cube = (await probe.call(chart, "GetLayout"))["qLayout"]["qHyperCube"]
        return [(row[0]["qText"], row[0]["qState"]) for row in cube["qDataPages"][0]["qMatrix"]]

    result: list[tuple[str, str]] = run_async(states(), 10.0)
    return result


def test_a_bar_click_selects_in_the_engine_session_the_page_shares(
    sheet: PageDriver, probe: EngineProbe, run_async: Runner
) -> None:
    facts = sheet.open(appid=SALES.info.id, identity=IDENTITY, opt="currsel")
    assert facts["state"] == "ready", facts["error"]
    assert facts["sessionState"] == "SESSION_ATTACHED"  # the probe's session, not a new one
    probe.changed.clear()

    sheet.click(f'{BARS}[data-text="North"]')

    run_async(probe.wait_change(), 15.0)
    assert _region_states(run_async, probe) == [("North", "S")]
    sheet.wait_until("simPage.selections.length === 1")
    assert sheet.facts()["selections"] == NORTH_ONLY
    sheet.wait_until(f"document.querySelectorAll('{BARS}').length === 1")
    selected = sheet.css_color(f"{BARS}.state-S", "fill")
    assert selected != sheet.css_color(".clear-all", "color")
    sheet.wait_pixels(selected, at_least=2000)


def test_a_selection_made_elsewhere_reaches_the_page(
    sheet: PageDriver, probe: EngineProbe, run_async: Runner
) -> None:
    sheet.open(appid=SALES.info.id, identity=IDENTITY, opt="currsel")
    renders = sheet.facts()["renders"]

    async def select_south() -> None:
        doc = (await probe.call(-1, "GetActiveDoc"))["qReturn"]["qHandle"]
        chart = (await probe.call(doc, "GetObject", "bar-region"))["qReturn"]["qHandle"]
        south = SALES.table.distinct("Region").index("South")  # its qElemNumber
        await probe.call(chart, "SelectHyperCubeValues", "/qHyperCubeDef", 0, [south], False)

    run_async(select_south(), 10.0)

    sheet.wait_until("simPage.selections.length === 1")
    assert sheet.facts()["selections"] == [{"field": "Region", "values": ["South"]}]
    assert sheet.facts()["renders"] > renders
    assert sheet.js(f"[...document.querySelectorAll('{BARS}')].map(b => b.dataset.text)") == [
        "South"
    ]


def test_select_applies_a_selection_on_load_and_clear_all_removes_it(sheet: PageDriver) -> None:
    facts = sheet.open(appid=SALES.info.id, opt="currsel", select="$::Region,North")
    assert facts["selections"] == NORTH_ONLY
    assert sheet.js(f"document.querySelectorAll('{BARS}').length") == 1

    sheet.click(".clear-all")

    sheet.wait_until("simPage.selections.length === 0")
    sheet.wait_until(f"document.querySelectorAll('{BARS}').length === 4")


@pytest.mark.parametrize("bookmark", ["bm-north", "North only"])
def test_bookmark_applies_by_id_or_title(sheet: PageDriver, bookmark: str) -> None:
    facts = sheet.open(appid=SALES.info.id, opt="currsel", bookmark=bookmark)

    assert facts["state"] == "ready", facts["error"]
    assert facts["selections"] == NORTH_ONLY
    assert facts["warnings"] == []


def test_an_unknown_field_in_select_is_a_warning_not_an_error(sheet: PageDriver) -> None:
    facts = sheet.open(appid=SALES.info.id, select="Colour,Red")

    assert facts["state"] == "ready", facts["error"]
    assert facts["warnings"] == ["select: no value Red in field Colour"]


def test_a_dropped_socket_shows_connection_lost(
    sheet: PageDriver, page_sim: RunningSim, run_async: Runner
) -> None:
    assert sheet.open(appid=SALES.info.id, identity=IDENTITY)["state"] == "ready"

    run_async(post_fault(page_sim.url, kind="drop", identity=IDENTITY), 10.0)

    sheet.wait_state("error")
    assert sheet.js("document.getElementById('dialog').hidden") is False
    title = sheet.js("document.getElementById('dialog-title').textContent")
    assert title == page.labels_for("en")["connectionLost"]
    assert sheet.facts()["closed"]["code"] == 1006  # no close frame: the socket was dropped


def test_a_close_with_a_code_shows_it(
    sheet: PageDriver, page_sim: RunningSim, run_async: Runner
) -> None:
    assert sheet.open(appid=SALES.info.id, identity=IDENTITY, lang="de")["state"] == "ready"

    fault = {"kind": "close", "code": 4205, "reason": "busy", "identity": IDENTITY}
    run_async(post_fault(page_sim.url, **fault), 10.0)

    sheet.wait_state("error")
    message = sheet.js("document.getElementById('dialog-message').textContent")
    assert message == page.fill(page.labels_for("de")["connectionLostDetail"], code="4205")
    assert sheet.facts()["closed"] == {"code": 4205, "reason": "busy"}


def test_a_fatal_session_timeout_notification_is_named_in_the_dialog(
    sheet: PageDriver, page_sim: RunningSim, run_async: Runner
) -> None:
    assert sheet.open(appid=SALES.info.id, identity=IDENTITY)["state"] == "ready"

    fault = {
        "kind": "notify",
        "method": "OnSessionTimedOut",
        "params": {"severity": "fatal"},
        "close_after": True,
        "identity": IDENTITY,
    }
    run_async(post_fault(page_sim.url, **fault), 10.0)

    sheet.wait_state("error")
    assert sheet.facts()["notification"] == "OnSessionTimedOut"
    title = sheet.js("document.getElementById('dialog-title').textContent")
    assert title == page.labels_for("en")["sessionTimedOut"]
