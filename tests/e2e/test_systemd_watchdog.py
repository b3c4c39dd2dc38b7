"""The real kiosk under a systemd-like supervisor: with NOTIFY_SOCKET and WATCHDOG_USEC set, the
viewer says READY=1 once its first state is on screen, reports its state in STATUS=, pings
WATCHDOG=1 while it makes progress — and the pings stop while the process is hung (stopped with
SIGSTOP here), which is what makes systemd restart it."""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

import pytest
from viewer_process import ViewerProcess

pytestmark = pytest.mark.e2e

WATCHDOG_S = 3.0  # the viewer checks six times per WatchdogSec: a ping every 0.5 s


def _collect(sock: socket.socket, seconds: float) -> list[tuple[float, dict[str, str]]]:
    received = []
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            data = sock.recv(4096)
        except TimeoutError:
            break
        fields = dict(line.split("=", 1) for line in data.decode().splitlines() if "=" in line)
        received.append((time.monotonic(), fields))
    return received


def test_the_kiosk_speaks_to_systemd_and_stops_pinging_when_hung(tmp_path: Path) -> None:
    address = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    process = ViewerProcess(
        args=("demo", "--kiosk", "--log-file", "none"),
        env={"NOTIFY_SOCKET": address, "WATCHDOG_USEC": str(int(WATCHDOG_S * 1e6))},
    ).start()
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=90)
        before = _collect(sock, 3.0)  # the datagrams queued since the start, then 3 s more
        fields = [f for _, f in before]
        assert [f for f in fields if f.get("READY") == "1"] != [], fields
        assert len([f for f in fields if f.get("READY") == "1"]) == 1, fields
        statuses = [f["STATUS"] for f in fields if "STATUS" in f]
        assert "LIVE" in statuses[-1], statuses
        pings = [t for t, f in before if f.get("WATCHDOG") == "1"]
        assert len(pings) >= 3, fields

        process.send_signal(signal.SIGSTOP)  # a hung viewer: nothing turns
        try:
            hung = _collect(sock, 2.0)
        finally:
            process.send_signal(signal.SIGCONT)
        assert [f for _, f in hung if f.get("WATCHDOG") == "1"] == []
        after = _collect(sock, 3.0)
        assert [f for _, f in after if f.get("WATCHDOG") == "1"], "pings came back"
    finally:
        process.stop()
        sock.close()
    assert not process.unexpected_errors()
