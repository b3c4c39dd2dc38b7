"""The real `viewer` program as a subprocess, watched through its JSON log (e2e tier).

`ViewerProcess` starts `python -m viewer ...`, reads its stderr JSON lines on a thread and lets a
test wait for an event (never sleep). Any `error`-level line the test did not declare expected
fails the test. Under pytest-xvfb the child inherits the virtual display; as root it gets the
QtWebEngine sandbox switch that Chromium requires (tests only).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viewer.commands.simproc import stop_process

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

LogLine = dict[str, Any]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a viewer subprocess in tests."""
    env = dict(os.environ)
    env.setdefault("PYTHONFAULTHANDLER", "1")
    if "DISPLAY" not in env:
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    env.update(extra or {})
    return env


def run_viewer(
    args: Sequence[str], *, timeout: float = 60.0, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `viewer ARGS` to completion and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(env),
        check=False,
    )


@dataclass
class ViewerProcess:
    """A running `viewer` subprocess whose JSON log lines can be awaited."""

    args: Sequence[str]
    env: dict[str, str] = field(default_factory=dict)
    # the program: this interpreter's `-m viewer` unless given (e.g. a frozen app's executable)
    command: Sequence[str] | None = None
    expected_errors: list[Callable[[LogLine], bool]] = field(default_factory=list)
    lines: list[LogLine] = field(default_factory=list)
    stdout_lines: list[str] = field(default_factory=list)
    _queue: queue.Queue[LogLine] = field(default_factory=queue.Queue)
    _process: subprocess.Popen[str] | None = None
    _readers: list[threading.Thread] = field(default_factory=list)

    def start(self) -> ViewerProcess:
        program = list(self.command or (sys.executable, "-m", "viewer"))
        self._process = subprocess.Popen(
            [*program, *self.args, "--log-format", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(self.env),
        )
        self._readers = [
            threading.Thread(target=self._read_stderr, daemon=True),
            threading.Thread(target=self._read_stdout, daemon=True),
        ]
        for thread in self._readers:
            thread.start()
        return self

    def _read_stderr(self) -> None:
        assert self._process is not None
        assert self._process.stderr is not None
        for raw in self._process.stderr:
            try:
                line = json.loads(raw)
            except json.JSONDecodeError:
                line = {"event": "non-json", "text": raw.rstrip("\n")}
            if not isinstance(line, dict):
                line = {"event": "non-json", "text": raw.rstrip("\n")}
            self.lines.append(line)
            self._queue.put(line)

    def _read_stdout(self) -> None:
        assert self._process is not None
        assert self._process.stdout is not None
        for raw in self._process.stdout:
            self.stdout_lines.append(raw.rstrip("\n"))

    def wait_for(
        self,
        event: str,
        predicate: Callable[[LogLine], bool] = lambda _: True,
        timeout: float = 30.0,
    ) -> LogLine:
        """Block until a log line with this event (and matching predicate) arrives."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"no {event!r} within {timeout}s; last lines: {self.lines[-15:]}"
                )
            try:
                line = self._queue.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                if self._process is not None and self._process.poll() is not None:
                    raise AssertionError(
                        f"viewer exited ({self._process.returncode}) before {event!r}; "
                        f"last lines: {self.lines[-15:]}"
                    ) from None
                continue
            if line.get("event") == event and predicate(line):
                return line

    def unexpected_errors(self) -> list[LogLine]:
        return [
            line
            for line in self.lines
            if line.get("level") in ("error", "critical")
            and not any(accept(line) for accept in self.expected_errors)
        ]

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def send_signal(self, signum: int) -> None:
        assert self._process is not None
        self._process.send_signal(signum)

    def wait_exit(self, timeout: float = 30.0) -> int:
        assert self._process is not None
        return self._process.wait(timeout=timeout)

    def stop(self) -> None:
        process = self._process
        if process is None:
            return
        stop_process(process, grace=15)
        for thread in self._readers:
            thread.join(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def poll_until(read: Callable[[], Any], done: Callable[[Any], Any], timeout: float = 20.0) -> Any:
    """Call `read` until `done` holds for its value, which is returned (an outside check, such
    as the sim's state, has no event to wait on)."""
    deadline = time.monotonic() + timeout
    value = read()
    while not done(value):
        assert time.monotonic() < deadline, value
        time.sleep(0.2)
        value = read()
    return value


def write_profile(ready: dict[str, Any], mode: str, path: Path, **sections: dict[str, Any]) -> Path:
    """A profile file for the sim whose ready line is `ready`, signing in with `mode` (as
    `viewer demo` would), with the given sections' keys added or replaced."""
    import tomli_w

    from viewer.commands.demo import demo_config

    config = demo_config(ready, ready["flavor"], mode)
    for section, values in sections.items():
        config.setdefault(section, {}).update(values)
    path.write_bytes(tomli_w.dumps(config).encode())
    return path


def isolated_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a viewer child whose state and config live under `tmp_path`."""
    return {"XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}


def start_kiosk_run(profile: Path, tmp_path: Path) -> ViewerProcess:
    """`viewer run --config PROFILE --kiosk` with its state kept under `tmp_path`."""
    return ViewerProcess(
        args=("run", "--config", str(profile), "--kiosk", "--log-file", "none"),
        env=isolated_env(tmp_path),
    ).start()


def start_first_run(tmp_path: Path) -> ViewerProcess:
    """`viewer run` on a machine with nothing configured (no profile, no site file), its
    configuration and state under `tmp_path`: the first-run dialog comes up."""
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_CONFIG_DIRS": str(tmp_path / "etc"),  # no site file either
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    return ViewerProcess(args=("run", "--log-file", "none"), env=env).start()


def interactive_demo(tmp_path: Path, ready_file: Path) -> ViewerProcess:
    """`viewer demo --auth cloud-interactive`, its state under `tmp_path`, the sim's whole ready
    line (with the generated password the login form wants) written to `ready_file`."""
    return ViewerProcess(
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
