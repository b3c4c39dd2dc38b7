"""The sheet view is not a browser, in the real program (issue 12, journey 6): on a desktop
`viewer demo`, a right-click on the live sheet opens the viewer's own menu (Reload sheet, Copy,
Print… — no Back, Forward or View source), and F5 asks for the sheet to be reloaded. Input is
real X input on the virtual display (xdotool)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from viewer_process import ViewerProcess

pytestmark = pytest.mark.e2e

XDOTOOL = shutil.which("xdotool")


def _xdotool(*args: str) -> str:
    assert XDOTOOL is not None
    return subprocess.run(
        [XDOTOOL, *args], capture_output=True, text=True, timeout=20, check=True
    ).stdout.strip()


@pytest.mark.skipif(XDOTOOL is None, reason="xdotool is installed by .ci/setup")
def test_the_live_sheet_offers_only_the_viewers_menu_and_f5_reloads(
    viewer_process: type[ViewerProcess],
) -> None:
    process = viewer_process("demo", "--log-file", "none")
    process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
    # the analyst's window: "App — Sheet — user — Viewer demo"
    window = _xdotool("search", "--sync", "--onlyvisible", "--name", " — Viewer demo$").split()[0]
    _xdotool("windowfocus", "--sync", window)
    _xdotool("mousemove", "--window", window, "400", "300")
    _xdotool("click", "3")
    menu = process.wait_for("ui.context_menu", timeout=20)
    assert menu["actions"] == ["Reload sheet", "Copy", "Print…"]
    _xdotool("key", "Escape")
    _xdotool("key", "F5")
    process.wait_for("ui.reload_requested", timeout=20)
    _xdotool("mousemove", "--window", window, "400", "300", "click", "1")  # focus in the page
    _xdotool("key", "ctrl+r")
    process.wait_for("ui.reload_requested", timeout=20)
    assert not [ln for ln in process.lines if ln.get("event") == "web.navigation_blocked"]
