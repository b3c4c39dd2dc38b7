"""A wall display that rotates through sheets: `tenant.sheets` with `rotate_every_s` shows each
sheet in turn on the same engine session, without leaving LIVE."""

from __future__ import annotations

from pathlib import Path

import pytest
from viewer_process import start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e


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
