"""Interactive sign-in in the real program: `viewer demo --auth cloud-interactive` on a desktop
opens the tenant's login in its own window at once (the sheet stays hidden), a person types the
credentials (xdotool on the virtual display), and the sheet goes LIVE with the cookies the tenant
set — the view, the engine socket and REST then share that one session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyboard import XDOTOOL, type_into_window
from viewer_process import ViewerProcess

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(XDOTOOL is None, reason="xdotool is installed by .ci/setup")
def test_interactive_sign_in_opens_the_login_and_goes_live(tmp_path: Path) -> None:
    ready_file = tmp_path / "sim-ready.json"
    process = ViewerProcess(
        args=(
            "demo",
            "--auth",
            "cloud-interactive",
            "--log-file",
            "none",
            "--sim-ready-file",
            str(ready_file),
        ),
        env={"XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path)},
    ).start()
    try:
        logged = process.wait_for("sim.ready", timeout=60)
        assert logged["credentials"]["users"][0]["password"] == "«redacted»"
        ready = json.loads(ready_file.read_text(encoding="utf-8"))
        assert ready_file.stat().st_mode & 0o077 == 0
        process.wait_for("ui.state", lambda line: line["state"] == "AUTH_REQUIRED", timeout=60)
        process.wait_for("signin.page", lambda ln: ln["status"] == "LoadSucceededStatus", 60)
        assert not any(
            line.get("event") == "view.visible" and line.get("visible") for line in process.lines
        ), "the sheet was shown before signing in"
        user = ready["credentials"]["users"][0]
        type_into_window("^Sign in", user["username"], "Tab", user["password"], "Return")
        signed = process.wait_for("auth.signed_in", timeout=60)
        assert signed["mode"] == "cloud-interactive"
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
    finally:
        process.stop()
    assert not process.unexpected_errors()
