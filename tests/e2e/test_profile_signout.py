"""Signing out without deleting files by hand (issue 12, journey 11): after a real `viewer run`
on a client-managed site, `viewer profile paths` shows where the sign-in and the web profile
live, `viewer profile signout` ends the proxy session on the server and deletes the stored
sign-in and the web profile's cookies, and `viewer profile reset` forgets the identity too."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest
from viewer_process import isolated_env, run_viewer, start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e


def _proxy_sessions(sim: SimProcess) -> int:
    return len(httpx.get(f"{sim.url}/_sim/state", timeout=10).json()["proxy_sessions"])


def _paths(output: str) -> dict[str, Path]:
    rows = [line.strip().split(": ", 1) for line in output.splitlines()[1:]]
    return {what.strip(): Path(where.split("  (")[0].strip()) for what, where in rows}


def test_signout_ends_the_session_and_deletes_the_sign_in_and_cookies(
    qseow_sim: SimProcess, tmp_path: Path
) -> None:
    profile = write_profile(
        qseow_sim.ready, "qseow-session", tmp_path / "wall.toml", auth={"delete_on_exit": False}
    )
    process = start_kiosk_run(profile, tmp_path)
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        process.send_signal(signal.SIGTERM)
        assert process.wait_exit(timeout=30) == 0
    finally:
        process.stop()
    assert _proxy_sessions(qseow_sim) == 1

    env = isolated_env(tmp_path)
    shown = run_viewer(["profile", "paths", "--config", str(profile)], env=env)
    assert shown.returncode == 0, shown.stderr
    places = _paths(shown.stdout)
    grant = places["stored sign-in (grant)"]
    web = places["web profile (cookies, cache)"]
    identity = places["engine-session identity"]
    assert grant.is_file()
    assert web.is_dir()
    assert identity.is_file()

    signed_out = run_viewer(["profile", "signout", "--config", str(profile)], env=env)
    assert signed_out.returncode == 0, signed_out.stderr
    assert "ended the session on the server" in signed_out.stdout
    assert _proxy_sessions(qseow_sim) == 0
    assert not grant.exists()
    assert not web.exists()
    assert identity.exists()  # signout keeps the identity; reset forgets it

    reset = run_viewer(["profile", "reset", "--config", str(profile)], env=env)
    assert reset.returncode == 0, reset.stderr
    assert not identity.exists()
