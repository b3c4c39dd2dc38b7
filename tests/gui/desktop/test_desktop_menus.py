"""The analyst window's menus and shortcuts on the real sim: zoom kept per profile, next tab,
close tab (Ctrl+W), reload (F5, Ctrl+R), export PNG and PDF, clear selections in the engine,
"data as of" in the status bar, diagnostics, sign out."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from desktop_harness import WindowFactory, save_artifact
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot
from sheet_driver import PageDriver

from viewer.desktop.analyst_window import AnalystWindow
from viewer.desktop.window_state import WindowState, window_state_path
from viewer.sheet.target import SheetTarget
from viewer.sim.engine.data import sample_apps
from viewer.sim.server import RunningSim
from viewer.ui.i18n import install_translator

pytestmark = pytest.mark.gui

SALES = sample_apps()[0]
INVENTORY = sample_apps()[1]
NO_MODIFIER = Qt.KeyboardModifier(0)
CONTROL = Qt.KeyboardModifier.ControlModifier


def _events(log: io.StringIO, name: str) -> list[dict[str, Any]]:
    lines = (json.loads(line) for line in log.getvalue().splitlines() if line.startswith("{"))
    return [line for line in lines if line.get("event") == name]


def _mnemonic(text: str) -> str:
    """The letter after the single `&` of a menu text (Alt+letter), lower case."""
    at = text.replace("&&", "").index("&")
    return text.replace("&&", "")[at + 1].lower()


def _assert_each_mnemonic_once(window: QMainWindow) -> None:
    """In the menu bar and in each menu, no two entries share their Alt letter."""
    menus = [action.menu() for action in window.menuBar().actions()]
    for texts in [[m.title() for m in menus], *[[a.text() for a in m.actions()] for m in menus]]:
        letters = [_mnemonic(text) for text in texts if text]
        assert len(letters) == len(set(letters)), f"a mnemonic used twice: {texts}"


def test_each_menu_entry_has_its_own_mnemonic_in_german_too(
    desktop_window: WindowFactory, qapp: QApplication
) -> None:
    window = desktop_window()
    translator = install_translator(qapp, "de")
    assert translator is not None
    german = AnalystWindow(window.app, remember=False)  # the same menus, built in German
    try:
        assert german.shell.window.menuBar().actions()[0].text() == "&Datei"
        _assert_each_mnemonic_once(german.shell.window)
    finally:
        qapp.removeTranslator(translator)
        german.shell.close()


def test_menus_and_shortcuts_act_on_the_current_tab(
    desktop_window: WindowFactory,
    desktop_sim: RunningSim,
    qtbot: QtBot,
    log_output: io.StringIO,
    tmp_path: Path,
) -> None:
    window = desktop_window(open=(SheetTarget(INVENTORY.info.id),))
    window.wait_live(2)
    app = window.app
    shell = app.shell
    commands = window.desktop.commands
    main = shell.window
    main.activateWindow()
    first, second = app.sheets
    assert window.desktop.current_sheet() is second
    qtbot.waitUntil(lambda: shell.data_as_of.text() == "Data as of 2026-01-14 22:30")
    assert {a.objectName() for a in main.menuBar().actions()[0].menu().actions()} >= {
        "open-app", "close-tab", "export-pdf", "export-png", "sign-out", "quit"
    }  # fmt: skip
    _assert_each_mnemonic_once(main)
    assert commands.actions["previous-tab"].shortcut().toString() == "Ctrl+Shift+Tab"

    commands.actions["zoom-in"].trigger()
    assert second.view.zoomFactor() == pytest.approx(1.1)
    assert first.view.zoomFactor() == pytest.approx(1.1)
    stored = WindowState.load(window_state_path(app.profile.locations.state_dir, app.profile.name))
    assert stored.zoom == pytest.approx(1.1)
    commands.actions["zoom-reset"].trigger()
    assert second.view.zoomFactor() == pytest.approx(1.0)

    commands.actions["next-tab"].trigger()
    assert window.desktop.current_sheet() is first
    qtbot.waitUntil(lambda: shell.data_as_of.text() == "Data as of 2026-01-15 06:00")
    assert commands.export_png(tmp_path / "sheet.png")
    assert (tmp_path / "sheet.png").read_bytes().startswith(b"\x89PNG")
    commands.export_pdf(tmp_path / "sheet.pdf")
    qtbot.waitUntil(lambda: bool(_events(log_output, "export.pdf")), timeout=20_000)
    assert _events(log_output, "export.pdf")[0]["ok"] is True
    assert (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")

    overview = PageDriver(qtbot, first.view, desktop_sim.url, ("", ""))
    overview.wait_state("ready")
    overview.click('[data-object-id=bar-region] .bar[data-text="North"]')
    sessions: Any = desktop_sim.tenant.hub.snapshot()["sessions"]
    sales = next(s for s in sessions if s["app"] == SALES.info.id)
    qtbot.waitUntil(lambda: _selections(desktop_sim) == {"Region": ["North"]}, timeout=10_000)
    assert sales["sockets"] == 2
    commands.actions["clear-selections"].trigger()
    qtbot.waitUntil(lambda: _selections(desktop_sim) == {}, timeout=10_000)

    for key, modifier in ((Qt.Key.Key_F5, NO_MODIFIER), (Qt.Key.Key_R, CONTROL)):
        loads = len(_events(log_output, "sheet.loaded"))
        qtbot.keyClick(main, key, modifier)
        qtbot.waitUntil(lambda n=loads: len(_events(log_output, "sheet.loaded")) == n + 1,
                        timeout=20_000)  # fmt: skip
        assert _events(log_output, "sheet.loaded")[-1]["tab"] == "t1"

    qtbot.keyClick(main, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(_events(log_output, "tab.closed")), timeout=10_000)
    assert _events(log_output, "tab.closed")[0]["tab"] == "t1"
    assert [s.tab for s in app.sheets] == ["t2"]

    commands.actions["diagnostics"].trigger()
    qtbot.waitUntil(lambda: bool(_events(log_output, "diagnostics.done")), timeout=30_000)
    assert _events(log_output, "diagnostics.done")[0]["failed"] == []
    assert commands.diagnostics_window is not None
    assert commands.diagnostics_window.table.rowCount() == 10  # every step of viewer check
    save_artifact(commands.diagnostics_window, "analyst-diagnostics.png")

    commands.actions["sign-out"].trigger()
    qtbot.waitUntil(lambda: bool(_events(log_output, "auth.signed_out")), timeout=10_000)
    signed_out = _events(log_output, "auth.signed_out")[0]
    assert signed_out["mode"] == "cloud-jwt"
    assert signed_out["qlik_session_ended"] is True
    qtbot.waitUntil(lambda: not shell.pane("t2").view_visible, timeout=10_000)
    # the signed-out user's engine session is not kept for whoever signs in next
    qtbot.waitUntil(lambda: all(sheet.session is None for sheet in app.sheets), timeout=10_000)
    assert any(e["state"] != "LIVE" for e in _events(log_output, "ui.state") if e["tab"] == "t2")

    for index, name in enumerate(("file", "view")):
        menu = main.menuBar().actions()[index].menu()
        menu.popup(main.mapToGlobal(main.menuBar().geometry().bottomLeft()))
        qtbot.waitUntil(menu.isVisible)
        save_artifact(menu, f"analyst-menu-{name}.png")
        menu.hide()


def _selections(sim: RunningSim) -> dict[str, list[str]]:
    sessions: Any = sim.tenant.hub.snapshot()["sessions"]
    return next(s for s in sessions if s["app"] == SALES.info.id)["selections"]  # type: ignore[no-any-return]
