"""First run of the real program: `viewer run` with an empty configuration on a display opens
"Connect to Qlik"; a person types the address of a running `viewer sim` (xdotool under Xvfb),
the profile is written, the program starts again on it, the person signs in in the tenant's
login, and the hub of apps comes up (no app is named)."""

from __future__ import annotations

from pathlib import Path

import pytest
from viewer_process import start_first_run
from xkeys import XDOTOOL, type_into_window

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(XDOTOOL is None, reason="xdotool is installed by .ci/setup")
def test_first_run_connects_writes_the_profile_and_opens_the_hub(
    cloud_sim: SimProcess, tmp_path: Path
) -> None:
    process = start_first_run(tmp_path)
    try:
        process.wait_for("firstrun.shown", timeout=60)
        type_into_window("^Connect to Qlik$", cloud_sim.url, "Return")
        written = process.wait_for("firstrun.profile_written", timeout=30)
        assert (written["profile"], written["kind"]) == ("default", "cloud")
        assert written["mode"] == "cloud-interactive"
        started = process.wait_for("config.start_profile", timeout=60)  # after the restart
        assert (started["profile"], started["source"]) == ("default", "default")
        process.wait_for("signin.page", lambda ln: ln["status"] == "LoadSucceededStatus", 60)
        user = cloud_sim.ready["credentials"]["users"][0]
        type_into_window("^Sign in", user["username"], "Tab", user["password"], "Return")
        hub = process.wait_for("hub.shown", timeout=60)
        assert hub["apps"] == len(cloud_sim.ready["apps"])
    finally:
        process.stop()
    assert not process.unexpected_errors()
    profile = (tmp_path / "cfg" / "viewer" / "profiles" / "default.toml").read_text()
    assert cloud_sim.url in profile
