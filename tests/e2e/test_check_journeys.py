"""`viewer check` as a user meets it (issue 12, journey 8), the real program against the sim:
after a real `viewer run` stored its session, a rotated key fails the sign-in step while the
stored session is reported apart as still accepted; a profile without `sheet_id` is checked
against the app's first sheet (as `run` shows it) instead of a traceback."""

from __future__ import annotations

import json
import signal
import tomllib
from pathlib import Path

import pytest
import tomli_w
from viewer_process import isolated_env, run_viewer, start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e


def _check(profile: Path, tmp_path: Path) -> tuple[int, dict[str, dict[str, str]], str]:
    result = run_viewer(
        ["check", "--config", str(profile), "--json"], env=isolated_env(tmp_path), timeout=60
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, {row["step"]: row for row in json.loads(result.stdout)}, result.stderr


def test_a_rotated_key_fails_check_while_the_stored_session_is_reported_apart(
    cloud_sim: SimProcess, tmp_path: Path
) -> None:
    profile = write_profile(cloud_sim.ready, "cloud-jwt", tmp_path / "wall.toml")
    process = start_kiosk_run(profile, tmp_path)
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        process.send_signal(signal.SIGTERM)
        assert process.wait_exit(timeout=30) == 0
    finally:
        process.stop()

    data = tomllib.loads(profile.read_text())
    data["auth"]["kid"] = "rotated-away"
    profile.write_bytes(tomli_w.dumps(data).encode())
    code, steps, _ = _check(profile, tmp_path)
    assert code == 1
    assert steps["stored session"]["result"] == "pass", steps["stored session"]
    assert steps["auth"]["result"] == "fail"
    assert "rotated-away" in steps["auth"]["detail"]


def test_a_profile_without_a_sheet_is_checked_against_the_first_sheet(
    cloud_sim: SimProcess, tmp_path: Path
) -> None:
    profile = write_profile(cloud_sim.ready, "cloud-jwt", tmp_path / "desk.toml")
    data = tomllib.loads(profile.read_text())
    del data["tenant"]["sheet_id"]
    profile.write_bytes(tomli_w.dumps(data).encode())
    code, steps, stderr = _check(profile, tmp_path)
    assert code == 0, (steps, stderr)
    assert steps["config valid"]["detail"].endswith(f" from {profile}")  # which file was read
    first = cloud_sim.ready["apps"][0]["sheets"][0]["id"]
    assert first in steps["sheet exists"]["detail"]
    assert steps["/single/ reachable"]["result"] == "pass"


def test_an_unreadable_secret_fails_the_config_step_located_at_its_key(
    cloud_sim: SimProcess, tmp_path: Path
) -> None:
    profile = write_profile(
        cloud_sim.ready, "cloud-jwt", tmp_path / "wall.toml",
        auth={"private_key": "file:" + str(tmp_path / "no-such-key.pem")},
    )  # fmt: skip
    code, steps, _ = _check(profile, tmp_path)
    assert code == 1
    assert list(steps) == ["config valid"]  # not a "stored session" failure further down
    line = next(
        n for n, text in enumerate(profile.read_text().splitlines(), 1) if "no-such" in text
    )
    assert steps["config valid"]["detail"].startswith(f"{profile}:{line}:1: Cannot read a secret")
    assert "no-such-key.pem does not exist" in steps["config valid"]["detail"]
