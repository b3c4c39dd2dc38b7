"""Idle reset on a wall display people can touch, in the real program under Xvfb: a kiosk that
rotates its sheets stops rotating when someone clicks, and a selection made by that click on the
sim's sheet (XTEST mouse input) is gone, and the start sheet is back, within idle_reset_s + 1 s
of the last click."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from viewer_process import start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e

XDOTOOL = shutil.which("xdotool")
IDLE_RESET_S = 3.0
ROTATE_EVERY_S = 2.0
# Where the sim's sheet has bars and table cells on a 1280 x 800 screen: clicked in turn
# until one of them makes a selection.
CLICK_POINTS = [(x, y) for y in range(200, 760, 40) for x in range(60, 1240, 90)]


def _selections(sim: SimProcess) -> list[dict[str, Any]]:
    sessions = httpx.get(f"{sim.url}/_sim/state").json()["sessions"]
    return [session["selections"] for session in sessions if session["selections"]]


def _click_until_selected(sim: SimProcess) -> float:
    """Click across the sheet until the engine session has a selection; the wall-clock time
    of the click that made it."""
    assert XDOTOOL is not None
    for x, y in CLICK_POINTS:
        subprocess.run([XDOTOOL, "mousemove", str(x), str(y), "click", "1"], check=True,
                       timeout=10)  # fmt: skip
        clicked = time.time()
        deadline = time.monotonic() + 0.4
        while time.monotonic() < deadline:
            if _selections(sim):
                return clicked
            time.sleep(0.05)
    raise AssertionError("no click on the sheet made a selection")


@pytest.mark.skipif(XDOTOOL is None, reason="xdotool is installed by .ci/setup")
def test_a_touched_kiosk_clears_selections_and_returns_to_the_start_sheet(
    cloud_sim: SimProcess, tmp_path: Path
) -> None:
    sheets = [sheet["id"] for sheet in cloud_sim.ready["apps"][0]["sheets"]]
    tenant = {"sheet_id": sheets[0], "sheets": sheets, "rotate_every_s": ROTATE_EVERY_S}
    kiosk = {"idle_reset_s": IDLE_RESET_S}
    profile = write_profile(
        cloud_sim.ready, "cloud-jwt", tmp_path / "wall.toml", tenant=tenant, kiosk=kiosk
    )
    process = start_kiosk_run(profile, tmp_path)
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        rotated = process.wait_for("sheet.rotating", timeout=15)
        assert rotated["sheet"] == sheets[1]
        process.wait_for(
            "sheet.loaded", lambda line: f"sheet={sheets[1]}" in line["url_without_secrets"]
        )
        last_click = _click_until_selected(cloud_sim)
        process.wait_for("sheet.rotation_paused", timeout=5)
        reset = process.wait_for("kiosk.idle_reset", timeout=IDLE_RESET_S + 10)
        process.wait_for("sheet.rotation_resumed", timeout=5)
        loaded = process.wait_for("sheet.loaded", timeout=10)
        assert f"sheet={sheets[0]}" in loaded["url_without_secrets"]
        assert not _selections(cloud_sim), "the selection survived the idle reset"
    finally:
        process.stop()
    assert reset["selections_cleared"] is True
    blocks = [line for line in process.lines if line.get("event") == "kiosk.capacity_block"]
    assert [line["minutes_total"] for line in blocks] == [6], "one 6-minute block for it all"
    latency = _seconds(loaded["ts"]) - last_click
    print(f"idle reset: start sheet loaded {latency:.2f} s after the last click")
    assert latency <= IDLE_RESET_S + 1.0, latency
    interaction = next(
        i for i, line in enumerate(process.lines) if line.get("event") == "kiosk.interaction"
    )
    between = process.lines[interaction:]
    reset_at = next(i for i, line in enumerate(between) if line.get("event") == "kiosk.idle_reset")
    assert not any(line.get("event") == "sheet.rotating" for line in between[:reset_at])
    assert not process.unexpected_errors()


def _seconds(ts: str) -> float:
    return datetime.fromisoformat(ts).timestamp()
