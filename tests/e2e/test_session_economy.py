"""Session economy on a client-managed site (five parallel sessions per user): twenty restarts of
the real `viewer run` against one simulated tenant re-use the persisted session cookie and the
stable identity, so they leave exactly one proxy session and one engine session and never meet
the limit."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest
from viewer_process import LogLine, start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e

RESTARTS = 20


def _run_until_live(profile: Path, tmp_path: Path) -> list[LogLine]:
    """One `viewer run` to LIVE and an ordered exit; its log."""
    process = start_kiosk_run(profile, tmp_path)
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        process.send_signal(signal.SIGTERM)
        assert process.wait_exit(timeout=30) == 0
    finally:
        process.stop()
    assert not process.unexpected_errors()
    return process.lines


def test_twenty_restarts_leave_one_proxy_and_one_engine_session(
    qseow_sim: SimProcess, tmp_path: Path
) -> None:
    profile = write_profile(qseow_sim.ready, "qseow-ticket", tmp_path / "wall.toml")
    for restart in range(RESTARTS):
        lines = _run_until_live(profile, tmp_path)
        opened = [line for line in lines if line.get("event") == "engine.opened"]
        assert opened, f"no engine.opened at restart {restart}"
        if restart > 0:
            assert opened[0]["session_state"] == "SESSION_ATTACHED", f"restart {restart}"
        signed_in = [ln for ln in lines if ln.get("event") == "auth.signing_in"]
        assert len(signed_in) == (1 if restart == 0 else 0), f"signed in again at {restart}"

    state = httpx.get(f"{qseow_sim.url}/_sim/state", timeout=10).json()
    assert len(state["proxy_sessions"]) == 1, state["proxy_sessions"]
    assert len(state["sessions"]) == 1, state["sessions"]
    assert state["counters"]["tickets_redeemed"] == 1
    assert state["counters"]["sockets_refused"] == 0


def _auth_events(lines: list[LogLine]) -> list[tuple[str, object]]:
    return [
        (line["event"], line.get("checked"))
        for line in lines
        if str(line.get("event", "")).startswith("auth.") and line["event"] != "auth.http"
    ]


def test_a_restart_lets_the_engine_check_the_stored_grant_and_signs_in_only_when_refused(
    cloud_sim: SimProcess, tmp_path: Path
) -> None:
    """The stored grant (with its csrf token) opens the engine socket without a request before
    it; when the engine refuses it, the grant is checked, the viewer signs in once, and no
    'sign in again' notice is ever shown on the way to LIVE."""
    profile = write_profile(cloud_sim.ready, "cloud-jwt", tmp_path / "wall.toml")
    first = _run_until_live(profile, tmp_path)
    assert ("auth.signing_in", None) in _auth_events(first)

    trusted = _run_until_live(profile, tmp_path)
    assert _auth_events(trusted) == [("auth.grant_reused", False)]

    response = httpx.post(f"{cloud_sim.url}/_sim/fault", json={"kind": "revoke"}, timeout=10)
    assert response.status_code == 200, response.text
    refused = _run_until_live(profile, tmp_path)
    assert [event for event, _ in _auth_events(refused)] == [
        "auth.grant_reused", "auth.grant_refused", "auth.grant_stale", "auth.signing_in",
        "auth.signed_in",
    ]  # fmt: skip
    states = [line["state"] for line in refused if line.get("event") == "ui.state"]
    assert states == ["CONNECTING", "LIVE"]
    logins = httpx.get(f"{cloud_sim.url}/_sim/state", timeout=10).json()["counters"]["logins"]
    assert logins == 2
