"""The analyst's whole journey in one real `viewer` process, driven from the keyboard and the
mouse on the virtual X display (xdotool) as a person would, against a real `viewer sim`:

first start with no profile → "Connect to Qlik", the tenant's address typed → the program
starts again on the written profile → the tenant's sign-in page, alice's name and password
typed → the hub lists the apps → Sales ▸ Overview, Sales ▸ Trend (Ctrl+O) and Inventory ▸ Stock
open in three tabs → a bar clicked in the first tab selects its region in the app's one engine
session, and the second tab shows that selection → a network partition of Inventory's engine
hides only its tab, which comes back by itself when the network heals while the Sales tabs
never leave LIVE → File ▸ Sign out ends the session and every tab asks for a sign-in → bob
signs in and every tab is LIVE again, the window title naming him.

Screenshots of the hub, the tabs, a hidden tab with its notice and the File and View menus go
to test-artifacts/journey/; with VIEWER_UPDATE_DOC_IMAGES=1 also to docs/images/ (the README's
pictures of the analyst desktop).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from dialog_keys import press_the_fix, window_area, xdotool
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from screen import count_colour, grab_screen, screen_until
from viewer_process import ARTIFACTS, LogLine, ViewerProcess, poll_until, start_first_run
from xkeys import XDOTOOL, type_into_window

from viewer.commands.simproc import SimProcess
from viewer.sim.engine.data import sample_apps

pytestmark = pytest.mark.e2e

PRODUCT = "Viewer"  # the first run's profile keeps the default branding
SALES, INVENTORY = sample_apps()[0].info, sample_apps()[1].info
BAR = "#4477aa"  # the sim sheet's bars (default theme, resources/sim/single/single.css)
SELECTED = "#2f9e44"  # a selected value's cell or bar in the sim sheet
DOC_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
SHOTS = ARTIFACTS / "journey"


@pytest.mark.skipif(XDOTOOL is None, reason="xdotool is installed by .ci/setup")
def test_first_run_to_tabs_selection_fault_sign_out_and_another_user(
    cloud_sim: SimProcess, tmp_path: Path
) -> None:
    alice, bob = cloud_sim.ready["credentials"]["users"][:2]
    process = start_first_run(tmp_path)
    try:
        # first run: connect, the program starts again on the profile, alice signs in
        process.wait_for("firstrun.shown", timeout=60)
        type_into_window("^Connect to Qlik$", cloud_sim.url, "Return")
        process.wait_for("config.start_profile", timeout=60)
        _sign_in(process, alice)
        hub = process.wait_for("hub.shown", timeout=60)
        assert hub["apps"] == len(sample_apps())

        # three tabs from the hub, keyboard only
        _open_from_hub(process, SALES.name, sheet_index=0, first=True)
        _open_from_hub(process, SALES.name, sheet_index=1)
        _open_from_hub(process, INVENTORY.name, sheet_index=0)
        opened = [ln for ln in process.lines if ln.get("event") == "tab.opened"]
        assert [(o["tab"], o["app_id"], o["sheet_id"]) for o in opened] == [
            ("t1", SALES.id, "sales-overview"),
            ("t2", SALES.id, "sales-trend"),
            ("t3", INVENTORY.id, "inventory-stock"),
        ]
        _wait_live(process, {"t1", "t2", "t3"}, after=0)
        _title_window(f"Alice — {PRODUCT}$")  # the window names the signed-in user (users/me)

        # a selection in the first tab shows in the second (one engine session for the app)
        _keys("ctrl+Prior")  # t3 → t2: Trend, nothing selected yet
        _, trend = _screen_until(lambda image: _count(image, BAR) > 200)
        unselected = _count(trend, SELECTED)
        _keys("ctrl+Prior")  # t2 → t1: Overview with its bar chart by region
        _, overview = _screen_until(lambda image: len(_bar_runs(image)) == 4)
        x, y = _bar_runs(overview)[0]
        xdotool("mousemove", "--sync", str(x), str(y), "click", "1")
        sessions = poll_until(lambda: _sessions(cloud_sim, SALES.id), lambda s: s[0]["selections"])
        assert len(sessions) == 1  # both Sales tabs in one engine session
        assert list(sessions[0]["selections"]) == ["Region"]
        assert len(sessions[0]["selections"]["Region"]) == 1
        _keys("ctrl+Next")  # t1 → t2: its table by region shows the selected region
        shown, trend = _screen_until(lambda image: _count(image, SELECTED) > unselected + 100)
        assert shown, "the second tab does not show the selection made in the first"
        _save(trend, "analyst-tabs")

        # a network partition of Inventory's engine hides only its tab; it heals by itself
        _keys("ctrl+Next")  # t2 → t3
        mark = len(process.lines)
        _fault(cloud_sim, {"kind": "partition", "app": INVENTORY.id})
        process.wait_for("view.visible", lambda ln: ln.get("tab") == "t3" and not ln["visible"])
        noticed, hidden = _screen_until(lambda image: _count(image, BAR) == 0)
        assert noticed, "the hidden tab still shows its sheet"
        _save(hidden, "analyst-tab-hidden")
        _fault(cloud_sim, {"kind": "heal"})
        _wait_live(process, {"t3"}, after=mark)
        assert _screen_until(lambda image: _count(image, BAR) > 200)[0], "t3 is not drawn again"
        changed = [ln for ln in process.lines[mark:] if ln.get("tab") in ("t1", "t2")
                   and ln.get("event") in ("ui.state", "view.visible")]  # fmt: skip
        assert not changed, f"a tab of the other app changed: {changed}"

        # the menus, as a person opens them
        for menu, name in (("alt+f", "menu-file"), ("alt+v", "menu-view")):
            before = _grab()
            _keys(menu)
            opened_menu, image = _screen_until(lambda image, b=before: _menu_differs(b, image))
            assert opened_menu, f"{menu} opened no menu"
            _save(image, name)
            _keys("Escape")
            _screen_until(lambda image, b=before: not _menu_differs(b, image))

        # File ▸ Sign out: the session ends, every tab asks for a sign-in; bob signs in
        mark = len(process.lines)
        _keys("alt+f", "t")  # File ▸ Sign ou&t
        signed_out = process.wait_for("auth.signed_out", timeout=30)
        assert signed_out["mode"] == "cloud-interactive"
        _wait_state(process, {"t1", "t2", "t3"}, "AUTH_REQUIRED", after=mark)
        _wait_after(process, mark, "dialog.shown", lambda ln: ln["kind"] == "AUTH_REQUIRED")
        mark = len(process.lines)
        press_the_fix(PRODUCT)  # the notice's focused button: Sign in
        _sign_in(process, bob)
        _wait_live(process, {"t1", "t2", "t3"}, after=mark)
        _title_window(f"Bob — {PRODUCT}$")
        users = {s["user"] for s in _sessions(cloud_sim, None) if s["sockets"]}
        assert users == {"bob"}, users
    finally:
        process.stop()
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "viewer.log.jsonl").write_text("\n".join(json.dumps(ln) for ln in process.lines))
    assert not process.unexpected_errors()


# ---- the person at the keyboard -----------------------------------------------------------------


def _sign_in(process: ViewerProcess, user: dict[str, str]) -> None:
    """The tenant's sign-in page is up: type the name, Tab, the password, Enter."""
    process.wait_for("signin.page", lambda ln: ln["status"] == "LoadSucceededStatus", 60)
    type_into_window("^Sign in", user["username"], "Tab", user["password"], "Return")


def _open_from_hub(process: ViewerProcess, app: str, sheet_index: int, first: bool = False) -> None:
    """Ctrl+O (the hub is up by itself on the first start), type the app's name, Enter, Down to
    the sheet, Enter; wait for its tab."""
    count = sum(1 for ln in process.lines if ln.get("event") == "tab.opened")
    if not first:
        mark = len(process.lines)
        _keys("ctrl+o")
        _wait_after(process, mark, "hub.shown")
    mark = len(process.lines)
    type_into_window(f"^Apps — {PRODUCT}$", "ctrl+a", app, "Return")
    _wait_after(process, mark, "hub.sheets")
    if first:
        _, image = _screen_until(lambda _image: True)
        _save(image, "hub")
    type_into_window(f"^Apps — {PRODUCT}$", *["Down"] * sheet_index, "Return")
    process.wait_for("tab.opened", lambda _ln: _opened(process) > count, timeout=20)


def _opened(process: ViewerProcess) -> int:
    return sum(1 for ln in process.lines if ln.get("event") == "tab.opened")


def _keys(*keys: str) -> None:
    """Press `keys` in the main window (the largest window titled after the product)."""
    windows = xdotool("search", "--sync", "--onlyvisible", "--name", f"{PRODUCT}$").split()
    main = max(windows, key=window_area)
    xdotool("windowfocus", "--sync", main)
    for key in keys:
        xdotool("key", "--clearmodifiers", key)


def _title_window(pattern: str, timeout: float = 20.0) -> None:
    """Wait for a visible window with a title matching `pattern` (a regular expression)."""
    deadline = time.monotonic() + timeout
    while True:
        titles = [xdotool("getwindowname", window).strip() for window in
                  xdotool("search", "--onlyvisible", "--name", PRODUCT).split()]  # fmt: skip
        if any(re.search(pattern, title) for title in titles):
            return
        assert time.monotonic() < deadline, f"no window titled {pattern!r}: {titles}"
        time.sleep(0.2)


# ---- what the log and the sim say ---------------------------------------------------------------


def _wait_after(
    process: ViewerProcess, mark: int, event: str, predicate: Callable[[LogLine], bool] = bool
) -> LogLine:
    """The first `event` (matching `predicate`) logged after line `mark` (it may be there)."""
    for line in process.lines[mark:]:
        if line.get("event") == event and predicate(line):
            return line
    return process.wait_for(event, predicate, timeout=30)


def _wait_live(process: ViewerProcess, tabs: set[str], after: int) -> None:
    _wait_state(process, tabs, "LIVE", after)


def _wait_state(process: ViewerProcess, tabs: set[str], state: str, after: int) -> None:
    """Wait until each of `tabs` has been in `state` since log line `after`."""
    reached = {ln["tab"] for ln in process.lines[after:]
               if ln.get("event") == "ui.state" and ln["state"] == state}  # fmt: skip

    def all_reached(line: LogLine) -> bool:
        if line["state"] == state:
            reached.add(line["tab"])
        return tabs <= reached

    if not tabs <= reached:
        process.wait_for("ui.state", all_reached, timeout=60)


def _sessions(sim: SimProcess, app: str | None) -> list[dict[str, Any]]:
    state = httpx.get(f"{sim.url}/_sim/state", timeout=10).json()
    return [s for s in state["sessions"] if app is None or s["app"] == app]


def _fault(sim: SimProcess, fault: dict[str, str]) -> None:
    answer = httpx.post(f"{sim.url}/_sim/fault", json=fault, timeout=10)
    assert answer.status_code == 200, answer.text


# ---- what the screen shows ----------------------------------------------------------------------


def _grab() -> QImage:
    return grab_screen()


def _screen_until(check: Callable[[QImage], bool], timeout: float = 20.0) -> tuple[bool, QImage]:
    return screen_until(check, timeout)


def _count(image: QImage, colour: str) -> int:
    return count_colour(image, [colour], step=3, tolerance=8)


def _bar_runs(image: QImage) -> list[tuple[int, int]]:
    """Where to click each bar of the sheet's bar chart (left to right): the bars' feet lie on
    one row, the lowest with the bar colour; each run of that colour there is one bar."""
    target = QColor(BAR)

    def is_bar(x: int, y: int) -> bool:
        pixel = image.pixelColor(x, y)
        return (
            abs(pixel.red() - target.red()) <= 8
            and abs(pixel.green() - target.green()) <= 8
            and abs(pixel.blue() - target.blue()) <= 8
        )

    rows = [y for y in range(0, image.height(), 2) if any(
        is_bar(x, y) for x in range(0, image.width(), 4))]  # fmt: skip
    if not rows:
        return []
    foot = max(rows) - 2
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for x in range(image.width()):
        if is_bar(x, foot) and start is None:
            start = x
        elif not is_bar(x, foot) and start is not None:
            if x - start >= 6:
                runs.append(((start + x) // 2, foot - 4))
            start = None
    return runs


def _menu_differs(before: QImage, after: QImage) -> bool:
    """A menu has dropped below the menu bar: the top-left part of the window changed."""
    width, height = 360, 420
    old = before.copy(0, 30, width, height)
    new = after.copy(0, 30, width, height)
    return old != new


def _save(image: QImage, name: str) -> None:
    """Keep the screen as test-artifacts/journey/NAME.png; with VIEWER_UPDATE_DOC_IMAGES=1 also
    as docs/images/analyst-NAME.png, a little smaller."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    image.save(str(SHOTS / f"{name}.png"))
    if os.environ.get("VIEWER_UPDATE_DOC_IMAGES") == "1":
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        smaller = image.scaledToWidth(1024, Qt.TransformationMode.SmoothTransformation)
        smaller.save(str(DOC_IMAGES / f"{name}.png"))
