"""A machine pre-configured by its site file: `viewer run` with no profile named opens the
site's sheet (the real program against the simulated tenant, under Xvfb)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from viewer_process import ViewerProcess, isolated_env, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e


def test_a_complete_site_file_is_opened_without_a_profile(
    cloud_sim: SimProcess, viewer_process: Callable[..., ViewerProcess], tmp_path: Path
) -> None:
    site = tmp_path / "xdg-site" / "viewer" / "site.toml"
    site.parent.mkdir(parents=True)
    write_profile(cloud_sim.ready, "cloud-jwt", site, branding={"product_name": "Site wall"})
    env = {**isolated_env(tmp_path), "XDG_CONFIG_DIRS": str(tmp_path / "xdg-site")}
    viewer = viewer_process("run", "--kiosk", "--log-file", "none", env=env)
    chosen = viewer.wait_for("config.start_profile", timeout=30)
    assert (chosen["profile"], chosen["source"]) == ("site", "site")
    viewer.wait_for("ui.state", lambda line: line.get("state") == "LIVE", timeout=60)
