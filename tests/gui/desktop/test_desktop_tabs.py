"""The analyst's window of sheet tabs, real parts throughout (sim on loopback, real pages and
engine sockets): tabs of one app share its engine session, so a selection in one shows in the
other; closing a tab closes its sockets; each tab renders its own state; tabs and geometry
come back on the next start."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import pytest
from desktop_harness import WindowFactory, save_artifact
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sheet_driver import PageDriver, post_fault

from viewer.config.models import BrandingConfig
from viewer.core import state as vs
from viewer.sheet.target import SheetTarget
from viewer.sim.engine.data import sample_apps
from viewer.sim.server import RunningSim
from viewer.ui.tabs import PHASE_COLOURS, TabbedShell

pytestmark = pytest.mark.gui

SALES = sample_apps()[0]
INVENTORY = sample_apps()[1]
BARS = "[data-object-id=bar-region] .bar"
REGION_ROWS = "[data-object-id=table-region] tbody tr"  # the other tab's table by region


def _events(log: io.StringIO, name: str) -> list[dict[str, Any]]:
    lines = (json.loads(line) for line in log.getvalue().splitlines() if line.startswith("{"))
    return [line for line in lines if line.get("event") == name]


def _sales_sessions(sim: RunningSim) -> list[dict[str, Any]]:
    sessions: list[dict[str, Any]] = sim.tenant.hub.snapshot()["sessions"]  # type: ignore[assignment]
    return [s for s in sessions if s["app"] == SALES.info.id]


def test_two_tabs_of_one_app_share_its_engine_session_and_its_selections(
    desktop_window: WindowFactory,
    desktop_sim: RunningSim,
    qtbot: QtBot,
    log_output: io.StringIO,
) -> None:
    window = desktop_window(open=(SheetTarget(SALES.info.id, "sales-trend"),))
    window.wait_live(2)
    first, second = window.app.sheets
    assert (first.tab, second.tab) == ("t1", "t2")
    opened = [(e["tab"], e["app_id"], e["sheet_id"]) for e in _events(log_output, "tab.opened")]
    assert opened == [("t1", SALES.info.id, "sales-overview"), ("t2", SALES.info.id, "sales-trend")]
    assert {e["tab"] for e in _events(log_output, "ui.state") if e["state"] == "LIVE"} == {
        "t1",
        "t2",
    }
    assert {e["tab"] for e in _events(log_output, "sheet.loaded")} == {"t1", "t2"}

    login = ("", "")
    overview = PageDriver(qtbot, first.view, desktop_sim.url, login)
    trend = PageDriver(qtbot, second.view, desktop_sim.url, login)
    overview.wait_state("ready")
    trend.wait_state("ready")
    sessions = _sales_sessions(desktop_sim)
    assert len(sessions) == 1, sessions  # one engine session for the app and identity
    assert sessions[0]["sockets"] == 4  # each tab's engine socket and each page's own
    regions = (
        f"[...document.querySelectorAll('{REGION_ROWS} td:first-child')].map(c => c.textContent)"
    )
    assert set(trend.js(regions)) == {"North", "South", "East", "West"}
    overview.click(f'{BARS}[data-text="North"]')  # in the first tab
    trend.wait_until(f"new Set({regions}).size === 1")  # shows in the second
    assert set(trend.js(regions)) == {"North"}
    save_artifact(window.app.shell.window, "analyst-tabs.png")
    assert _sales_sessions(desktop_sim)[0]["selections"] == {"Region": ["North"]}

    window.app.shell.close_requested.emit("t2")  # the tab's close button
    qtbot.waitUntil(lambda: bool(_events(log_output, "tab.closed")), timeout=10_000)
    assert _events(log_output, "tab.closed") == [
        {**_events(log_output, "tab.closed")[0], "tab": "t2"}
    ]
    qtbot.waitUntil(lambda: _sales_sessions(desktop_sim)[0]["sockets"] == 2, timeout=10_000)
    assert [sheet.tab for sheet in window.app.sheets] == ["t1"]
    assert first.phase is vs.Phase.LIVE
    assert window.stop() == 0


def test_open_tabs_and_the_current_one_come_back_on_the_next_start(
    desktop_window: WindowFactory, tmp_path: Path
) -> None:
    state = tmp_path / "kept"
    window = desktop_window(open=(SheetTarget(INVENTORY.info.id),), state=state)
    window.wait_live(2)
    window.app.shell.window.resize(720, 520)
    assert window.stop() == 0

    again = desktop_window(state=state)
    again.wait_live(2)
    targets = [sheet.target for sheet in again.app.sheets]
    assert targets == [
        SheetTarget(SALES.info.id, "sales-overview"),
        SheetTarget(INVENTORY.info.id, "inventory-stock"),
    ]
    assert again.desktop.current_sheet() is again.app.sheets[1]  # the last opened was current
    size = again.app.shell.window.size()
    assert (size.width(), size.height()) == (720, 520)


def _directive(phase: vs.Phase) -> vs.Directive:
    return vs.Directive(phase, phase is vs.Phase.LIVE, None, frozenset(), None)


def test_each_tab_shows_its_own_state_and_hides_only_its_own_view(qtbot: QtBot) -> None:
    shell = TabbedShell(BrandingConfig())
    qtbot.addWidget(shell.window)
    views = {tab: QLabel(tab) for tab in ("t1", "t2")}
    assert shell.status.isHidden()  # before any tab: no "Connecting" for nothing
    for tab, view in views.items():
        shell.add_tab(tab, view, f"Sheet {tab}")
    shell.show()
    assert shell.status.isVisible()
    shell.render("t1", _directive(vs.Phase.LIVE))
    shell.render("t2", _directive(vs.Phase.LIVE))
    assert shell.pane("t1").view_visible
    assert shell.pane("t2").view_visible

    shell.render("t1", _directive(vs.Phase.SUSPENDED))
    assert not shell.pane("t1").view_visible
    assert views["t1"].isHidden()
    assert shell.pane("t2").view_visible  # the other tab is not touched
    assert shell.current_tab == "t2"
    assert not shell.dialog.isVisible()  # the current tab is LIVE: no notice

    shell.set_current("t1")
    assert shell.dialog.isVisible()  # the notice follows the current tab
    assert shell.status.phase is vs.Phase.SUSPENDED
    icon = shell.tabs.tabIcon(0).pixmap(12, 12).toImage()
    assert icon.pixelColor(6, 6).name() == PHASE_COLOURS[vs.Phase.SUSPENDED]
    shell.set_current("t2")
    assert not shell.dialog.isVisible()
    for tab in ("t1", "t2"):
        shell.remove_tab(tab)
    assert shell.status.isHidden()  # no tab: no state to speak of ("Closed" said nothing true)
    shell.close()


def test_one_reconnect_brings_back_every_tab_the_server_closed(
    desktop_window: WindowFactory,
    desktop_sim: RunningSim,
    qloop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    log_output: io.StringIO,
) -> None:
    window = desktop_window(open=(SheetTarget(INVENTORY.info.id),))
    window.wait_live(2)
    first, second = window.app.sheets
    closing = qloop.create_task(post_fault(desktop_sim.url, kind="close", code=1000))
    qtbot.waitUntil(closing.done, timeout=10_000)
    qtbot.waitUntil(lambda: first.awaits_user and second.awaits_user, timeout=20_000)
    assert (first.phase, second.phase) == (vs.Phase.CLOSED, vs.Phase.CLOSED)
    assert window.app.shell.current_tab == second.tab

    before = len(_events(log_output, "recovery.start"))
    window.app.shell.reconnect_requested.emit(second.tab)  # the notice's one press
    window.wait_live(2)
    pressed = [e["tab"] for e in _events(log_output, "recovery.start")[before:]]
    assert sorted(pressed) == ["t1", "t2"]
    assert window.stop() == 0
