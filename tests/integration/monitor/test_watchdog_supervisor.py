"""A hung viewer is restarted by its supervisor within WatchdogSec + 5 s: systemd's watchdog
rule played by a stand-in (no systemd here) over a real notify socket — a service whose pings
stop for WatchdogSec is killed and started again — around a process that runs the
viewer's Watchdog and then blocks its event loop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
WATCHDOG_SEC = 1.0


def _start(path: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NOTIFY_SOCKET": path,
        "WATCHDOG_USEC": str(int(WATCHDOG_SEC * 1_000_000)),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.monitor.watchdog_child", "1.0"],
        cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE,
    )  # fmt: skip


def _stop(process: subprocess.Popen[str]) -> None:
    process.kill()
    process.wait(5)
    if process.stdout is not None:
        process.stdout.close()


def test_a_hung_loop_is_restarted_within_watchdog_sec_plus_5_s(tmp_path: Path) -> None:
    path = str(tmp_path / "notify")
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(path)
    systemd.settimeout(0.05)
    first = _start(path)
    second = None
    try:
        ready_at: list[float] = []
        last_ping = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(ready_at) < 2:
            try:
                fields = dict(
                    line.split("=", 1) for line in systemd.recv(4096).decode().splitlines()
                )
            except TimeoutError:
                fields = {}
            now = time.monotonic()
            if fields.get("READY") == "1":
                ready_at.append(now)
            if fields.get("WATCHDOG") == "1":
                last_ping = now
            if second is None and last_ping is not None and now - last_ping > WATCHDOG_SEC:
                first.send_signal(signal.SIGKILL)  # systemd sends SIGABRT, then SIGKILL
                killed_at = now
                second = _start(path)
        assert first.stdout is not None
        assert first.stdout.readline().strip() == "hanging"
        assert len(ready_at) == 2, "the supervisor never saw the restarted viewer's READY"
        assert last_ping is not None
        hung_at = last_ping  # the loop blocked within one ping interval after the last ping
        assert killed_at - hung_at <= WATCHDOG_SEC + 0.2
        assert ready_at[1] - hung_at < WATCHDOG_SEC + 5
    finally:
        _stop(first)
        if second is not None:
            _stop(second)
        systemd.close()
