"""The analyst's tabs in the real program: `viewer demo --open` opens a second sheet of the
same app next to the profile's; both tabs go LIVE on one engine session (Qlik shares a session
per app and identity, so a selection in one tab shows in the other); Ctrl+W, typed on the
virtual display, closes the current tab and its sockets while the other tab stays LIVE."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import httpx
import pytest
from viewer_process import ViewerProcess, poll_until

from viewer.sim.engine.data import sample_apps

pytestmark = pytest.mark.e2e

XDOTOOL = shutil.which("xdotool")
PRODUCT_NAME = "Viewer demo"  # the demo profile's branding: the end of the main window's title
SALES = sample_apps()[0]


def _xdotool(*args: str) -> str:
    assert XDOTOOL is not None
    run = subprocess.run([XDOTOOL, *args], capture_output=True, text=True, timeout=20, check=True)
    return run.stdout


def _sales_session(url: str) -> dict[str, Any]:
    state = httpx.get(f"{url}/_sim/state", timeout=10).json()
    sessions = [s for s in state["sessions"] if s["app"] == SALES.info.id]
    assert len(sessions) == 1, sessions  # one engine session for the app and identity
    session: dict[str, Any] = sessions[0]
    return session


@pytest.mark.skipif(XDOTOOL is None, reason="xdotool is installed by .ci/setup")
def test_two_tabs_share_one_engine_session_and_ctrl_w_closes_one() -> None:
    second = f"{SALES.info.id}/sales-trend"
    process = ViewerProcess(args=("demo", "--log-file", "none", "--open", second)).start()
    try:
        ready = process.wait_for("sim.ready", timeout=60)
        _wait_both_live(process)
        opened = [line for line in process.lines if line.get("event") == "tab.opened"]
        assert [(o["tab"], o["sheet_id"]) for o in opened] == [
            ("t1", "sales-overview"),
            ("t2", "sales-trend"),
        ]
        # each tab's engine socket and each page's own, all in the one session
        session = poll_until(lambda: _sales_session(ready["url"]), lambda s: s["sockets"] == 4)

        windows = _xdotool("search", "--sync", "--onlyvisible", "--name", f"{PRODUCT_NAME}$")
        main = windows.split()[0]
        _xdotool("windowfocus", "--sync", main)
        _xdotool("key", "--clearmodifiers", "ctrl+w")  # the current tab: the last opened

        closed = process.wait_for("tab.closed", timeout=30)
        assert closed["tab"] == "t2"
        session = poll_until(lambda: _sales_session(ready["url"]), lambda s: s["sockets"] == 2)
        assert session["doc_open"]
        assert not any(
            line.get("event") == "ui.state" and line.get("tab") == "t1" and line["state"] != "LIVE"
            for line in process.lines[process.lines.index(closed) :]
        )
    finally:
        process.stop()
    assert not process.unexpected_errors()


def test_a_fault_on_one_app_hides_only_its_tab_and_it_heals_by_itself() -> None:
    """Two tabs on two apps (two engine sessions): the network drops the second app's sockets;
    only that tab's view is hidden, it comes back LIVE by itself, and the other tab never
    leaves LIVE."""
    inventory = sample_apps()[1]
    process = ViewerProcess(
        args=("demo", "--log-file", "none", "--open", inventory.info.id)
    ).start()
    try:
        ready = process.wait_for("sim.ready", timeout=60)
        _wait_both_live(process)
        mark = len(process.lines)
        fault = {"kind": "drop", "app": inventory.info.id}
        answer = httpx.post(f"{ready['url']}/_sim/fault", json=fault, timeout=10)
        assert answer.status_code == 200, answer.text
        assert answer.json()["affected"]["sockets"] >= 1
        process.wait_for("view.visible", lambda ln: ln.get("tab") == "t2" and not ln["visible"])
        process.wait_for("ui.state", lambda ln: ln["tab"] == "t2" and ln["state"] == "LIVE")
        after = process.lines[mark:]
        assert not [ln for ln in after if ln.get("tab") == "t1" and ln.get("event") in
                    ("ui.state", "view.visible")], "the other app's tab changed"  # fmt: skip
        assert not [ln for ln in after if ln.get("event") == "dialog.shown"
                    and ln.get("kind") == "CLOSED"]  # fmt: skip
    finally:
        process.stop()
    assert not process.unexpected_errors()


def _wait_both_live(process: ViewerProcess) -> None:
    """Wait until tabs t1 and t2 have each been LIVE."""
    live: set[str] = set()

    def both_live(line: dict[str, Any]) -> bool:
        if line["state"] == "LIVE":
            live.add(line["tab"])
        return live == {"t1", "t2"}

    process.wait_for("ui.state", both_live, timeout=60)
