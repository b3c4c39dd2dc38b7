"""Freshness on the wall, in the real program under Xvfb: the badge says when the app's data was
reloaded, as a red warning while that is older than `kiosk.stale_after_s`; the sim's `reload`
fault (the engine tells every client the Doc changed) turns it into today's time at once."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from PySide6.QtGui import QImage
from screen import count_colour, screen_until
from viewer_process import ARTIFACTS, start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess
from viewer.ui.freshness import STALE_COLOUR

pytestmark = pytest.mark.e2e

STALE_AFTER_S = 3600.0  # the sim's apps were last reloaded in January: stale at the start
BADGE_PIXELS = 200  # the badge's warning colour, sampled every third pixel of the corner


def _badge_red(image: QImage) -> int:
    corner = image.copy(image.width() - 420, 0, 420, 60)
    return count_colour(corner, [STALE_COLOUR])


def test_the_badge_warns_of_old_data_and_follows_a_reload(
    cloud_sim: SimProcess, tmp_path: Path
) -> None:
    kiosk = {"freshness_badge": True, "stale_after_s": STALE_AFTER_S}
    profile = write_profile(cloud_sim.ready, "cloud-jwt", tmp_path / "wall.toml", kiosk=kiosk)
    process = start_kiosk_run(profile, tmp_path)
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        old = process.wait_for("kiosk.freshness", lambda line: line["shown"], timeout=10)
        assert old["stale"] is True
        assert old["text"].startswith("Data as of ")
        assert old["text"].endswith("out of date")
        warned, image = screen_until(lambda i: _badge_red(i) >= BADGE_PIXELS, 5)
        if not warned:
            image.save(str(ARTIFACTS / "freshness-stale.png"))
        assert warned, f"no red badge on screen ({_badge_red(image)} px)"

        fault = httpx.post(f"{cloud_sim.url}/_sim/fault", json={"kind": "reload"})
        assert fault.status_code == 200, fault.text
        reloaded = process.wait_for("kiosk.data_reloaded", timeout=5)
        fresh = process.wait_for("kiosk.freshness", lambda line: line["shown"], timeout=5)
        assert fresh["stale"] is False
        assert fresh["age_s"] < 10
        assert "out of date" not in fresh["text"]
        assert len(fresh["text"]) == len("Data as of 06:00")
        calm, image = screen_until(lambda i: _badge_red(i) == 0, 5)
        assert calm, f"the badge is still red after the reload ({_badge_red(image)} px)"
    finally:
        process.stop()
    assert reloaded["reloaded_at"] is not None
    assert not process.unexpected_errors()
