"""The user journeys of a desktop, in the real program against the sim: the server's reason is
what the user sees however the page's own socket report races it; a network blip heals by
itself, every time; a session the server ended leads to a sign-in, at once and at the next
start, never to a dead end; a configuration fault is named, not retried as network trouble."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import httpx
import pytest
import tomli_w
from viewer_process import LogLine, ViewerProcess, interactive_demo, run_viewer, write_profile
from xkeys import XDOTOOL, type_into_sign_in_window

pytestmark = pytest.mark.e2e

BLIPS = 20


def _fault(ready: LogLine, **fault: object) -> None:
    answer = httpx.post(f"{ready['url']}/_sim/fault", json=fault, timeout=10)
    assert answer.status_code == 200, answer.text


def _states_after(process: ViewerProcess, index: int) -> list[tuple[str, str | None]]:
    return [
        (line["state"], line["reason"])
        for line in process.lines[index:]
        if line.get("event") == "ui.state"
    ]


def test_the_servers_close_reason_stays_on_screen(viewer_process) -> None:  # type: ignore[no-untyped-def]
    process = viewer_process("demo", "--log-file", "none")
    ready = process.wait_for("sim.ready", timeout=60)
    process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
    mark = len(process.lines)
    _fault(ready, kind="close", code=1000, reason="session ended")
    process.wait_for("ui.state", lambda line: line["state"] == "CLOSED", timeout=30)
    # the page's own socket closes too, before or after the engine's close is known; its report
    # must not replace the server's reason
    if not any(line.get("event") == "sheet.socket_closed" for line in process.lines[mark:]):
        process.wait_for("sheet.socket_closed", timeout=30)
    assert _states_after(process, mark)[-1] == ("CLOSED", "server.closed_session")


def test_a_desktop_blip_heals_by_itself_every_time(viewer_process) -> None:  # type: ignore[no-untyped-def]
    process = viewer_process("demo", "--log-file", "none")
    ready = process.wait_for("sim.ready", timeout=60)
    process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
    for blip in range(BLIPS):
        mark = len(process.lines)
        _fault(ready, kind="drop")
        process.wait_for("ui.state", lambda line: line["state"] != "LIVE", timeout=30)
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=30)
        shown = [line for line in process.lines[mark:] if line.get("event") == "dialog.shown"]
        assert all(line["kind"] != "CLOSED" for line in shown), (blip, shown)


@pytest.mark.skipif(XDOTOOL is None, reason="xdotool is installed by .ci/setup")
def test_a_session_the_server_ended_leads_to_a_sign_in_now_and_at_the_next_start(
    tmp_path: Path,
) -> None:
    ready_file = tmp_path / "sim-ready.json"
    first = interactive_demo(tmp_path, ready_file)
    try:
        first.wait_for("sim.ready", timeout=60)
        first.wait_for("signin.page", lambda ln: ln["status"] == "LoadSucceededStatus", 60)
        # the first start asks once: the sign-in window, no "sign in again" dialog beside it
        shown = [ln["kind"] for ln in first.lines if ln.get("event") == "dialog.shown"]
        assert "AUTH_REQUIRED" not in shown
        ready = json.loads(ready_file.read_text(encoding="utf-8"))
        user = ready["credentials"]["users"][0]
        type_into_sign_in_window(user["username"], "Tab", user["password"], "Return")
        first.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        _fault(ready, kind="revoke")
        first.wait_for("dialog.shown", lambda ln: ln["kind"] == "AUTH_REQUIRED", 30)
        first.wait_for("ui.state", lambda ln: ln["state"] == "AUTH_REQUIRED", 30)
        with pytest.raises(AssertionError):  # nothing replaces the sign-in that is due
            first.wait_for("ui.state", lambda ln: ln["state"] != "AUTH_REQUIRED", 4)
    finally:
        first.stop()
    assert not first.unexpected_errors()

    # The next start (its sim does not know the stored session): the sign-in window at once,
    # no failed attempt on the way.
    second = interactive_demo(tmp_path, ready_file)
    try:
        second.wait_for("signin.page", lambda ln: ln["status"] == "LoadSucceededStatus", 60)
        assert [s for s, _ in _states_after(second, 0)] == ["CONNECTING", "AUTH_REQUIRED"]
        assert not [ln for ln in second.lines if ln.get("event") == "recovery.failed"]
    finally:
        second.stop()
    assert not second.unexpected_errors()


@pytest.mark.parametrize(
    ("tenant", "reason"),
    [
        ({"app_id": "no-such-app"}, "cloud.app_not_found"),  # Qlik Cloud's close code 4204
        ({"sheet_id": "no-such-sheet"}, "config.sheet_not_found"),
    ],
)
def test_a_configuration_fault_is_named_not_retried_as_network_trouble(
    viewer_process,
    cloud_sim,
    tmp_path: Path,
    tenant: dict[str, str],
    reason: str,  # type: ignore[no-untyped-def]
) -> None:
    profile = write_profile(cloud_sim.ready, "cloud-jwt", tmp_path / "p.toml", tenant=tenant)
    process = viewer_process(
        "run", "--config", str(profile), "--log-file", "none",
        env={"XDG_STATE_HOME": str(tmp_path / "state")},
    )  # fmt: skip
    closed = process.wait_for("ui.state", lambda line: line["state"] == "CLOSED", timeout=60)
    assert closed["reason"] == reason
    with pytest.raises(AssertionError):  # a desktop waits for the user to fix it
        process.wait_for("recovery.start", timeout=3)


def test_an_api_key_profile_is_refused_at_start_with_the_modes_that_can_show_sheets(
    cloud_sim,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    profile = write_profile(cloud_sim.ready, "cloud-jwt", tmp_path / "p.toml")
    config = tomllib.loads(profile.read_text(encoding="utf-8"))
    config["auth"] = {"mode": "api-key", "api_key": "env:VIEWER_TEST_API_KEY"}
    profile.write_bytes(tomli_w.dumps(config).encode())
    refused = run_viewer(
        ["run", "--config", str(profile), "--log-file", "none"],
        env={"VIEWER_TEST_API_KEY": "not-a-real-key"},
    )
    assert refused.returncode == 2
    assert "api-key" in refused.stderr
    assert "cloud-interactive" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_kiosk_whose_engine_stops_answering_on_a_reconnect_is_never_stuck(
    viewer_process,
    cloud_sim,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """Every step of connecting has its own deadline: an engine that answers nothing while the
    viewer reconnects makes attempts fail (and be retried from a clean start), and once it
    answers again the wall is LIVE — never a CONNECTING that waits for ever."""
    profile = write_profile(
        cloud_sim.ready, "cloud-jwt", tmp_path / "p.toml",
        network={"connect_step_timeout_s": 2.0, "open_app_timeout_s": 2.0,
                 "reconnect_max_s": 2.0},
    )  # fmt: skip
    process = _live_kiosk(viewer_process, profile, tmp_path)
    _fault(cloud_sim.ready, kind="slow", seconds=30)
    _fault(cloud_sim.ready, kind="drop")
    failed = [process.wait_for("recovery.failed", timeout=30) for _ in range(2)]
    assert all(line["error"] in ("StepTimedOut", "TimeoutError") for line in failed), failed
    _fault(cloud_sim.ready, kind="slow", seconds=0)
    process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)


def test_a_kiosk_whose_tenant_fails_its_silent_sign_in_with_a_server_error_retries_it(
    viewer_process,
    cloud_sim,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """The session times out and the tenant answers the silent sign-in with 503 twice: the
    wall names the server error (SUSPENDED, `auth.server_error`), never rests in a sign-in
    nobody can give, and retries the same sign-in with backoff until it is LIVE again."""
    profile = write_profile(
        cloud_sim.ready, "cloud-jwt", tmp_path / "p.toml",
        network={"reconnect_min_s": 0.5, "reconnect_max_s": 1.0},
    )  # fmt: skip
    process = _live_kiosk(viewer_process, profile, tmp_path)
    seen = len(process.lines)
    _fault(cloud_sim.ready, kind="http_error", path="/login/jwt-session", status=503, count=2)
    _fault(cloud_sim.ready, kind="expire")
    failed = process.wait_for("recovery.failed", lambda line: line["action"] == "reauth-silent")
    assert failed["cause"] == "auth.server_error", failed
    process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
    states = _states_after(process, seen)
    assert ("SUSPENDED", "auth.server_error") in states, states
    assert ("AUTH_REQUIRED", "recovery.failed") not in states, states


def _live_kiosk(viewer_process, profile: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """`viewer run --kiosk` on `profile`, its state under `tmp_path`, once it is LIVE."""
    process = viewer_process(
        "run", "--config", str(profile), "--kiosk", "--log-file", "none",
        env={"XDG_STATE_HOME": str(tmp_path / "state")},
    )  # fmt: skip
    process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
    return process
