"""One-click recovery on a desktop, in the real program: `viewer demo` (no --kiosk) whose engine
session the server ends (close code 1000) hides the sheet, shows the branded dialog, and then
waits for the user instead of retrying on its own; a press of the dialog's Reconnect button
(XTEST keyboard input on the virtual display) brings the sheet back LIVE."""

from __future__ import annotations

import shutil
import subprocess

import httpx
import pytest
from viewer_process import ViewerProcess

pytestmark = pytest.mark.e2e

XDOTOOL = shutil.which("xdotool")
PRODUCT_NAME = "Viewer demo"  # the demo profile's branding.product_name: every window's title
UNATTENDED_S = 5.0  # a desktop that would retry by itself starts at once (backoff from 0.5 s)


def _xdotool(*args: str) -> str:
    assert XDOTOOL is not None
    run = subprocess.run([XDOTOOL, *args], capture_output=True, text=True, timeout=20, check=True)
    return run.stdout


def _dialog_window() -> str:
    """The notice dialog: of the viewer's visible windows (all titled with the product name),
    the smallest; the main window is 1280 x 800."""
    windows = _xdotool("search", "--sync", "--onlyvisible", "--name", f"^{PRODUCT_NAME}$").split()

    def area(window: str) -> int:
        fields = dict(
            line.split("=", 1) for line in _xdotool("getwindowgeometry", "--shell", window).split()
        )
        return int(fields["WIDTH"]) * int(fields["HEIGHT"])

    return min(windows, key=area)


@pytest.mark.skipif(XDOTOOL is None, reason="xdotool is installed by .ci/setup")
def test_a_closed_session_waits_for_the_user_and_reconnect_brings_the_sheet_back() -> None:
    process = ViewerProcess(args=("demo", "--log-file", "none")).start()
    try:
        ready = process.wait_for("sim.ready", timeout=60)
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        fault = httpx.post(f"{ready['url']}/_sim/fault", json={"kind": "close", "code": 1000})
        assert fault.status_code == 200, fault.text
        closed = process.wait_for("ui.state", lambda line: line["state"] == "CLOSED", timeout=30)
        assert closed["reason"] == "server.closed_session"
        hidden_at = max(
            index
            for index, line in enumerate(process.lines)
            if line.get("event") == "view.visible" and line["visible"] is False
        )
        assert not any(
            line.get("event") == "view.visible" and line["visible"]
            for line in process.lines[hidden_at:]
        )
        with pytest.raises(AssertionError, match=r"no 'recovery\.start'"):
            process.wait_for("recovery.start", timeout=UNATTENDED_S)  # it waits for the user

        dialog = _dialog_window()
        _xdotool("windowfocus", "--sync", dialog)
        _xdotool("key", "space")  # the dialog's focus is on its first button: Reconnect

        started = process.wait_for("recovery.start", timeout=30)
        assert started["action"] == "reload-sheet"
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        shown = [line["visible"] for line in process.lines if line.get("event") == "view.visible"]
        assert shown[-1] is True
    finally:
        process.stop()
    assert not process.unexpected_errors()
