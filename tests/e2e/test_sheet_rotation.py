"""A wall display that rotates through sheets: `tenant.sheets` with `rotate_every_s` shows each
sheet in turn on the same engine session, without leaving LIVE, and between two sheets the
screen shows one of them, never a blank page for longer than a frame."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest
from rotation_census import SMALL, classify, pixels
from screen import grab_screen
from viewer_process import start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e

ONE_FRAME_MS = 17  # one frame at 60 Hz
MEASURED_ROTATIONS = 4


def test_sheets_rotate_while_live(cloud_sim: SimProcess, tmp_path: Path) -> None:
    sheets = [sheet["id"] for sheet in cloud_sim.ready["apps"][0]["sheets"]]
    assert len(sheets) >= 2
    tenant = {"sheet_id": sheets[0], "sheets": sheets, "rotate_every_s": 2.0}
    profile = write_profile(cloud_sim.ready, "cloud-jwt", tmp_path / "wall.toml", tenant=tenant)
    process = start_kiosk_run(profile, tmp_path)
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        shown = []
        for _ in range(len(sheets) + 1):
            rotating = process.wait_for("sheet.rotating", timeout=15)
            loaded = process.wait_for("sheet.loaded", timeout=15)
            assert f"sheet={rotating['sheet']}" in loaded["url_without_secrets"]
            shown.append(rotating["sheet"])
    finally:
        process.stop()
    assert shown == [*sheets[1:], sheets[0], sheets[1]]
    states = [line["state"] for line in process.lines if line.get("event") == "ui.state"]
    assert states[-1] == "LIVE"
    assert states.count("LIVE") == 1, f"rotation left LIVE: {states}"
    assert not process.unexpected_errors()


def test_rotation_shows_no_blank_page_between_sheets(cloud_sim: SimProcess, tmp_path: Path) -> None:
    sheets = [sheet["id"] for sheet in cloud_sim.ready["apps"][0]["sheets"]]
    every_s = 1.5
    tenant = {"sheet_id": sheets[0], "sheets": sheets, "rotate_every_s": every_s}
    profile = write_profile(cloud_sim.ready, "cloud-jwt", tmp_path / "wall.toml", tenant=tenant)
    process = start_kiosk_run(profile, tmp_path)
    frames: list[tuple[float, bytes]] = []
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        process.wait_for("sheet.rotating", timeout=30)  # the first sheet has settled
        # each sheet is left once (its settled picture) before rotations are measured
        end = time.monotonic() + (len(sheets) + MEASURED_ROTATIONS + 0.5) * every_s
        while time.monotonic() < end:  # the screen of another process: grabbed, not awaited
            frames.append((time.time(), pixels(grab_screen().scaled(*SMALL))))
    finally:
        process.stop()
    rotating = [
        (datetime.fromisoformat(line["ts"]).timestamp(), line["sheet"])
        for line in process.lines
        if line.get("event") == "sheet.rotating"
    ]
    census = classify(frames, rotating)
    print(f"rotation census: {census}")
    # every rotation's still went because its sheet had drawn itself (a still that stays until
    # the next rotation hides that sheet, which the census cannot see)
    released = [line for line in process.lines if line.get("event") == "sheet.frame_released"]
    assert len(released) >= len(rotating) - 1, (len(rotating), released)  # the last: under way
    assert {line["reason"] for line in released} == {"settled"}, released
    assert census["rotations_measured"] >= MEASURED_ROTATIONS - 1, census
    assert census["frames_between_sheets"]["to"] > 0, census  # the census sees the sheets
    assert census["longest_run_ms"]["blank"] <= ONE_FRAME_MS, census
    assert not process.unexpected_errors()
