"""Session economy on a client-managed site (five parallel sessions per user): twenty restarts of
the real `viewer run` against one simulated tenant re-use the persisted session cookie and the
stable identity, so they leave exactly one proxy session and one engine session and never meet
the limit."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest
from viewer_process import start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e

RESTARTS = 20


def test_twenty_restarts_leave_one_proxy_and_one_engine_session(
    qseow_sim: SimProcess, tmp_path: Path
) -> None:
    profile = write_profile(qseow_sim.ready, "qseow-ticket", tmp_path / "wall.toml")
    for restart in range(RESTARTS):
        process = start_kiosk_run(profile, tmp_path)
        try:
            opened = process.wait_for("engine.opened", timeout=60)
            if restart > 0:
                assert opened["session_state"] == "SESSION_ATTACHED", f"restart {restart}"
            process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
            process.send_signal(signal.SIGTERM)
            assert process.wait_exit(timeout=30) == 0
        finally:
            process.stop()
        assert not process.unexpected_errors()
        signed_in = [ln for ln in process.lines if ln.get("event") == "auth.signing_in"]
        assert len(signed_in) == (1 if restart == 0 else 0), f"signed in again at {restart}"

    state = httpx.get(f"{qseow_sim.url}/_sim/state", timeout=10).json()
    assert len(state["proxy_sessions"]) == 1, state["proxy_sessions"]
    assert len(state["sessions"]) == 1, state["sessions"]
    assert state["counters"]["tickets_redeemed"] == 1
    assert state["counters"]["sockets_refused"] == 0
