"""One-click recovery on a desktop, in the real program: `viewer demo` (no --kiosk) whose engine
session the server ends (close code 1000) hides the sheet, shows the branded dialog, and then
waits for the user instead of retrying on its own; a press of the dialog's Reconnect button
(XTEST keyboard input on the virtual display) brings the sheet back LIVE."""

from __future__ import annotations

import httpx
import pytest
from dialog_keys import XDOTOOL, press_the_fix
from viewer_process import ViewerProcess

pytestmark = pytest.mark.e2e

UNATTENDED_S = 5.0  # a desktop that would retry by itself starts at once (backoff from 0.5 s)


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
        awaiting = process.wait_for("recovery.awaits_user", timeout=10)
        assert (awaiting["state"], awaiting["reason"]) == ("CLOSED", "server.closed_session")
        assert awaiting["offers"] == ["quit", "reconnect"]
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

        press_the_fix()  # the dialog's focus is on the button that fixes it: Reconnect

        started = process.wait_for("recovery.start", timeout=30)
        assert started["action"] == "reload-sheet"
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        shown = [line["visible"] for line in process.lines if line.get("event") == "view.visible"]
        assert shown[-1] is True
    finally:
        process.stop()
    assert not process.unexpected_errors()
