"""Errors are sentences, never tracebacks (issue 12, journey 9): the real `viewer run` with an
unresolvable secret, bad or busy health ports, an unwritable log file, and as root without the
sandbox variable, a screenshot path that cannot be written, a state folder that cannot be written
(run and demo) — each ends at once with exit 2 and one sentence that says what to do."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from viewer_process import isolated_env, run_viewer, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def sim() -> Iterator[SimProcess]:
    with SimProcess.start("cloud") as running:
        yield running


@pytest.fixture
def profile(sim: SimProcess, tmp_path: Path) -> Path:
    return write_profile(sim.ready, "cloud-jwt", tmp_path / "desk.toml")


def _run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = run_viewer(["run", *args], env={**isolated_env(tmp_path), **(env or {})}, timeout=30)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


def test_an_unresolvable_secret_is_one_sentence(sim: SimProcess, tmp_path: Path) -> None:
    path = write_profile(
        sim.ready, "cloud-jwt", tmp_path / "desk.toml", auth={"private_key": "env:VIEWER_NO_KEY"}
    )
    stderr = _run(tmp_path, "--config", str(path), "--log-file", "none")
    assert "set the environment variable VIEWER_NO_KEY" in stderr
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if "VIEWER_NO_KEY" in text
    )
    assert stderr.startswith(f"viewer run: {path}:{line}:1: "), stderr  # located at its key


@pytest.mark.parametrize("port", ["abc", "99999", "-5"])
def test_a_bad_health_port_is_one_sentence(profile: Path, tmp_path: Path, port: str) -> None:
    stderr = _run(tmp_path, "--config", str(profile), "--health-port", port)
    assert "--health-port" in stderr
    assert "port" in stderr.splitlines()[-1]


def test_a_health_port_in_use_is_named(profile: Path, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        stderr = _run(tmp_path, "--config", str(profile), "--health-port", str(port),
                      "--log-file", "none")  # fmt: skip
    assert f"another program already listens on 127.0.0.1:{port}" in stderr


def test_an_unwritable_log_file_is_one_sentence(profile: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    stderr = _run(tmp_path, "--config", str(profile), "--log-file", str(blocker / "viewer.log"))
    assert f"cannot write the log file {blocker / 'viewer.log'}" in stderr
    assert "--log-file none" in stderr


def test_an_unwritable_screenshot_path_is_one_sentence(profile: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    stderr = _run(tmp_path, "--config", str(profile), "--log-file", "none",
                  "--screenshot", str(blocker / "shot.png"))  # fmt: skip
    assert f"--screenshot {blocker / 'shot.png'}: cannot make its folder" in stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_root_without_the_sandbox_variable_is_told_what_to_do_first(
    profile: Path, tmp_path: Path
) -> None:
    stderr = _run(tmp_path, "--config", str(profile), "--log-file", "none",
                  env={"QTWEBENGINE_DISABLE_SANDBOX": ""})  # fmt: skip
    assert stderr.startswith("viewer run: the viewer is running as root")
    assert "QTWEBENGINE_DISABLE_SANDBOX=1" in stderr
    assert "Running as root without --no-sandbox" not in stderr  # Chromium never got that far


def test_a_state_folder_that_cannot_be_written_is_one_sentence(
    profile: Path, tmp_path: Path
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    unwritable = {"XDG_STATE_HOME": str(a_file / "state")}
    stderr = _run(tmp_path, "--config", str(profile), "--log-file", "none", env=unwritable)
    assert stderr.startswith(f"viewer run: cannot keep this profile's data in {a_file}/state/")
    demo = run_viewer(["demo", "--log-file", "none"], env={**isolated_env(tmp_path), **unwritable})
    assert demo.returncode == 2, demo.stderr
    assert "Traceback" not in demo.stderr
    assert "viewer demo: cannot keep this profile's data in" in demo.stderr


def test_an_api_key_profile_is_refused_at_the_line_of_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "keyed.toml"
    path.write_text(
        '[tenant]\nkind = "cloud"\nbase_url = "https://acme.eu.qlikcloud.com"\n\n'
        '[auth]\nmode = "api-key"\napi_key = "env:VIEWER_TEST_KEY"\n'
    )
    stderr = _run(
        tmp_path, "--config", str(path), "--log-file", "none",
        env={"VIEWER_TEST_KEY": "a-key-that-is-long-enough"},
    )  # fmt: skip
    assert stderr.startswith(f"viewer: {path}:6:1: cannot show sheets with this profile"), stderr
    assert "a-key-that-is-long-enough" not in stderr
