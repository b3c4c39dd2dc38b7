"""Switch profile in the real program: `viewer run --profile a` on Xvfb, File ▸ Switch profile
with the keyboard (xdotool), Enter on the other profile; the window shuts down in order and the
same process starts again on profile `b` (its window title, its sheet LIVE), remembered as the
last profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from viewer_process import ViewerProcess, isolated_env, write_profile
from xkeys import XDOTOOL, type_into_window

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(XDOTOOL is None, reason="xdotool is installed by .ci/setup")
def test_switch_profile_restarts_the_window_on_the_chosen_profile(
    cloud_sim: SimProcess, tmp_path: Path
) -> None:
    env = isolated_env(tmp_path)
    profiles = tmp_path / "cfg" / "viewer" / "profiles"
    profiles.mkdir(parents=True)
    for name in ("a", "b"):
        branding = {"product_name": f"Profile {name.upper()}"}
        write_profile(cloud_sim.ready, "cloud-jwt", profiles / f"{name}.toml", branding=branding)
    process = ViewerProcess(args=("run", "--profile", "a", "--log-file", "none"), env=env)
    process.start()
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        type_into_window("Profile A$", "alt+f", "w")
        process.wait_for("profile.picker_shown", timeout=20)
        type_into_window("^Switch profile$", "Return")
        switch = process.wait_for("profile.switch", timeout=20)
        assert (switch["profile"], switch["previous"]) == ("b", "a")
        restart = process.wait_for("app.restart", timeout=30)
        assert restart["arguments"][:3] == ["run", "--profile", "b"]
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        type_into_window("Profile B$")  # the window of the new profile is on screen
    finally:
        process.stop()
    assert not process.unexpected_errors()
    last = tmp_path / "state" / "viewer" / "last-profile"
    assert last.read_text(encoding="utf-8").strip() == "b"
