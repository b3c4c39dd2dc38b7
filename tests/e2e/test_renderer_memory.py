"""A renderer that grows past `web.renderer_memory_limit_mb` is replaced: the sheet is hidden,
reloaded and LIVE again (a limit of 1 MiB makes every renderer too big, so it happens at once)."""

from __future__ import annotations

from pathlib import Path

import pytest
from viewer_process import start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e


def test_renderer_over_the_memory_limit_is_reloaded(cloud_sim: SimProcess, tmp_path: Path) -> None:
    profile = write_profile(
        cloud_sim.ready, "cloud-jwt", tmp_path / "wall.toml", web={"renderer_memory_limit_mb": 1}
    )
    process = start_kiosk_run(profile, tmp_path)
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        over = process.wait_for("web.renderer_memory", timeout=20)
        assert over["resident_mib"] > over["limit_mib"] == 1
        process.wait_for("view.visible", lambda line: line["visible"] is False, timeout=5)
        process.wait_for("sheet.loading", timeout=20)
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=30)
    finally:
        process.stop()
    warnings = [line for line in process.lines if line.get("event") == "web.renderer_memory"]
    assert all(line["level"] == "warning" for line in warnings)
    assert not process.unexpected_errors()
