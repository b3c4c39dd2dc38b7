"""The kiosk's daily schedule in the real program under Xvfb, with windows a few seconds from
now (times with seconds): the sheet is reloaded at `reload_at`, the screen goes dark during a
`display_off` window — "planned_off", its own state — and the sheet is back after it, each
within a second of the planned moment. Xvfb has no DPMS, so the black cover stands in."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from screen import SHEET_BAR_COLOURS, count_colour, screen_until
from viewer_process import start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e

SHEET_PIXELS = 1000
BLACK_SHARE = 0.95


def _black(image: QImage) -> bool:
    sampled = (image.width() // 8) * (image.height() // 8)
    return count_colour(image, ["#000000"], step=8, tolerance=4) >= BLACK_SHARE * sampled


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S")


def test_scheduled_reload_and_planned_off_window(cloud_sim: SimProcess, tmp_path: Path) -> None:
    start = datetime.now().replace(microsecond=0)
    reload_at = start + timedelta(seconds=15)
    off_from, off_to = start + timedelta(seconds=19), start + timedelta(seconds=23)
    kiosk = {
        "reload_at": [_clock(reload_at)],
        "display_off": [f"{_clock(off_from)}-{_clock(off_to)}"],
    }
    profile = write_profile(cloud_sim.ready, "cloud-jwt", tmp_path / "wall.toml", kiosk=kiosk)
    process = start_kiosk_run(profile, tmp_path)
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=14)
        reloaded = process.wait_for("kiosk.scheduled_reload", timeout=20)
        process.wait_for("sheet.loaded", timeout=10)
        off = process.wait_for("kiosk.display", timeout=10)
        dark, _image = screen_until(_black, 3)
        assert dark, "the screen is not dark in the planned-off window"
        on = process.wait_for("kiosk.display", timeout=10)
        back, _image = screen_until(lambda i: count_colour(i, SHEET_BAR_COLOURS) >= SHEET_PIXELS, 3)
        assert back, "the sheet is not back after the planned-off window"
    finally:
        process.stop()
    assert reloaded["action"] == "sheet"
    assert (off["state"], off["backend"]) == ("planned_off", "blank")
    assert on["state"] == "on"
    figures = {
        name: line["late_s"] for name, line in [("reload", reloaded), ("off", off), ("on", on)]
    }
    print(f"schedule: seconds after the planned moment {figures}")
    assert all(0 <= late <= 1.0 for late in figures.values()), figures
    assert not process.unexpected_errors()
