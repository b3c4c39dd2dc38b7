"""The hub against the real sim: with no app in the profile the window starts with it; typing
filters the apps; Enter lists the chosen app's sheets from the engine; Enter on a sheet opens
it in a new tab that goes LIVE."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from desktop_harness import WindowFactory, save_artifact
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from viewer.desktop.catalog import AppEntry, apps_from_doc_list, apps_from_items
from viewer.sheet.target import SheetTarget
from viewer.sim.engine.data import sample_apps
from viewer.ui.hub import HubWindow

pytestmark = pytest.mark.gui

SALES = sample_apps()[0]
INVENTORY = sample_apps()[1]


def _events(log: io.StringIO, name: str) -> list[dict[str, Any]]:
    lines = (json.loads(line) for line in log.getvalue().splitlines() if line.startswith("{"))
    return [line for line in lines if line.get("event") == name]


def test_the_hub_lists_apps_as_you_type_and_opens_a_sheet_in_a_tab(
    desktop_window: WindowFactory, qtbot: QtBot, log_output: io.StringIO
) -> None:
    window = desktop_window(configured_app=False)
    qtbot.waitUntil(lambda: bool(_events(log_output, "hub.shown")), timeout=20_000)
    hub = window.desktop.hub
    assert hub is not None
    assert hub.window.isVisible()
    assert window.app.sheets == []
    by_name = sorted(sample_apps(), key=lambda app: app.info.name)
    assert _events(log_output, "hub.shown")[0]["apps"] == len(by_name)
    assert hub.window.visible_app_ids() == [app.info.id for app in by_name]  # by name
    apps = hub.window.apps
    names = [apps.topLevelItem(i).text(0) for i in range(apps.topLevelItemCount())]  # type: ignore[union-attr]
    assert names == [app.info.name for app in by_name]
    reloads = [apps.topLevelItem(i).text(3) for i in range(len(by_name))]  # type: ignore[union-attr]
    assert reloads == [app.last_reload_time[:16].replace("T", " ") for app in by_name]
    # the space and the owner by name (spaces listing, users/{id}), not by id
    spaces_and_owners = [(apps.topLevelItem(i).text(1), apps.topLevelItem(i).text(2))  # type: ignore[union-attr]
                         for i in range(len(by_name))]  # fmt: skip
    assert spaces_and_owners == [(app.space, app.owner.capitalize()) for app in by_name]
    qtbot.keyClicks(hub.window.search, SALES.space.split()[0])  # the space's name finds it too
    assert SALES.info.id in hub.window.visible_app_ids()
    hub.window.search.clear()

    qtbot.keyClicks(hub.window.search, "sal")
    assert hub.window.visible_app_ids() == [SALES.info.id]
    qtbot.keyClick(hub.window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: hub.window.sheet_ids() == [sheet.id for sheet in SALES.info.sheets],
        timeout=20_000,
    )
    assert hub.window.sheets.item(1).text().startswith("Trend")  # type: ignore[union-attr]

    save_artifact(hub.window, "analyst-hub.png")
    hub.window.sheets.setCurrentRow(1)
    qtbot.keyClick(hub.window.sheets, Qt.Key.Key_Return)
    window.wait_live(1)
    assert window.app.sheets[0].target == SheetTarget(SALES.info.id, "sales-trend")
    assert not hub.window.isVisible()
    opened = _events(log_output, "tab.opened")
    assert [(e["app_id"], e["sheet_id"]) for e in opened] == [(SALES.info.id, "sales-trend")]


def test_app_entries_read_the_documented_cloud_items_and_engine_doc_list_shapes() -> None:
    items = [
        {
            "name": "Sales",
            "resourceId": "a1",
            "spaceId": "space-9",
            "ownerId": "owner-3",
            "resourceAttributes": {"lastReloadTime": "2026-01-15T06:00:00Z", "description": "d"},
        },
        {"name": "no resource id"},
    ]
    assert list(apps_from_items(items)) == [
        AppEntry("a1", "Sales", "space-9", "owner-3", "2026-01-15T06:00:00Z", "d")
    ]
    named = next(apps_from_items(items, {"space-9": "Finance", "owner-3": "Ann"}))
    assert (named.space, named.owner) == ("Finance", "Ann")
    docs = [
        {
            "qDocId": "b2",
            "qTitle": "Stock",
            "qLastReloadTime": "2026-01-14T22:30:00Z",
            "qMeta": {"stream": {"name": "Everyone"}, "description": "w"},
        }
    ]
    entry = next(apps_from_doc_list(docs))
    assert (entry.id, entry.name, entry.space, entry.description) == (
        "b2",
        "Stock",
        "Everyone",
        "w",
    )
    assert entry.matches("every sto")
    assert not entry.matches("sales")


def test_the_hub_cuts_off_no_space_owner_or_reload_time(qtbot: QtBot) -> None:
    hub = HubWindow("Viewer")
    qtbot.addWidget(hub)
    space, owner = "Regional sales analytics (Europe)", "Maximiliane Mustermann-Schulze"
    hub.show_apps([AppEntry("a1", "Sales", space, owner, "2026-01-15T06:00:00Z", "")])
    hub.show()
    qtbot.waitExposed(hub)
    apps, header = hub.apps, hub.apps.header()

    def whole(column: int) -> bool:
        text = apps.topLevelItem(0).text(column)  # type: ignore[union-attr]
        return header.sectionSize(column) > apps.fontMetrics().horizontalAdvance(text)

    qtbot.waitUntil(lambda: all(whole(column) for column in (1, 2, 3)), timeout=5_000)
