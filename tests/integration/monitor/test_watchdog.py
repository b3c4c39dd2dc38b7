"""The systemd watchdog against a real notify socket (a unix datagram socket, as systemd's):
READY and STATUS arrive, pings keep coming while the loop turns and stop while it is blocked,
a renderer that stops answering stops the pings at once while the steps are taken in turn (and
they come back with the renderer), and an abstract socket name (`@…`) works too."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from viewer.monitor.metrics import ViewerMetrics
from viewer.monitor.watchdog import EscalationPolicy, Notifier, Watchdog, WatchdogHooks

PING_S = 0.05
WATCHDOG_S = 0.3


@dataclass
class Listener:
    """systemd's side: every datagram with the time it arrived."""

    sock: socket.socket
    received: list[tuple[float, dict[str, str]]] = field(default_factory=list)

    def collect(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                break
            fields = dict(line.split("=", 1) for line in data.decode().splitlines())
            self.received.append((time.monotonic(), fields))

    def times_of(self, key: str) -> list[float]:
        return [t for t, fields in self.received if key in fields]


@contextlib.contextmanager
def listener(address: str | bytes) -> Iterator[Listener]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    try:
        yield Listener(sock)
    finally:
        sock.close()


@contextlib.contextmanager
def loop_in_thread() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def _on(loop: asyncio.AbstractEventLoop, action: object) -> None:
    async def run() -> None:
        action()  # type: ignore[operator]

    asyncio.run_coroutine_threadsafe(run(), loop).result(5)


def test_ready_status_and_pings_that_stop_while_the_loop_is_blocked(tmp_path: Path) -> None:
    path = str(tmp_path / "notify")
    with listener(path) as systemd, loop_in_thread() as loop:
        watchdog = Watchdog(notifier=Notifier(path), watchdog_s=WATCHDOG_S, interval_s=PING_S)
        _on(loop, watchdog.start)
        _on(loop, lambda: watchdog.ready("LIVE"))
        systemd.collect(0.5)
        blocked_at = time.monotonic()
        loop.call_soon_threadsafe(time.sleep, 1.0)  # a hung event loop
        systemd.collect(1.6)
        _on(loop, watchdog.close)
        systemd.collect(0.2)
    assert {"READY": "1", "STATUS": "LIVE"} in [fields for _, fields in systemd.received]
    pings = systemd.times_of("WATCHDOG")
    before = [t for t in pings if t < blocked_at]
    during = [t for t in pings if blocked_at + 0.1 < t < blocked_at + 0.95]
    after = [t for t in pings if t > blocked_at + 1.05]
    assert len(before) >= 5
    assert during == []
    assert len(after) >= 5  # the loop turns again: so do the pings
    assert systemd.received[-1][1] == {"STOPPING": "1"}


def test_a_silent_renderer_stops_the_pings_and_is_escalated_in_turn(tmp_path: Path) -> None:
    path = str(tmp_path / "notify")
    answering = threading.Event()
    answering.set()
    done: list[str] = []

    async def renderer_answers() -> bool:
        return answering.is_set()

    hooks = WatchdogHooks(
        renderer_answers=renderer_answers,
        reload_page=lambda: done.append("reload-page"),
        restart_renderer=lambda: done.append("restart-renderer"),
    )
    metrics = ViewerMetrics(["LIVE"])
    with listener(path) as systemd, loop_in_thread() as loop:
        watchdog = Watchdog(
            hooks,
            notifier=Notifier(path),
            watchdog_s=WATCHDOG_S,
            interval_s=PING_S,
            policy=EscalationPolicy(grace_s=0.1, step_s=0.2),
            metrics=metrics,
        )
        _on(loop, watchdog.start)
        systemd.collect(0.3)
        answering.clear()  # the renderer hangs
        hung_at = time.monotonic()
        systemd.collect(1.2)
        answering.set()  # and comes back
        back_at = time.monotonic()
        systemd.collect(0.4)
        _on(loop, watchdog.close)
    assert done == ["reload-page", "restart-renderer"]
    pings = systemd.times_of("WATCHDOG")
    assert not [t for t in pings if hung_at + 3 * PING_S < t < back_at]  # at once, all along
    assert [t for t in pings if t > back_at]  # progress again: pings again
    statuses = [f["STATUS"] for _, f in systemd.received if "STATUS" in f]
    assert any(status.startswith("not responding") for status in statuses)
    text = metrics.exposition().decode()
    assert 'viewer_watchdog_escalations_total{action="stop-pinging"} 1.0' in text
    assert 'viewer_restarts_total{component="renderer"} 1.0' in text


def test_a_state_stuck_past_its_deadline_stops_progress(tmp_path: Path) -> None:
    path = str(tmp_path / "notify")
    stuck = threading.Event()
    with listener(path) as systemd, loop_in_thread() as loop:
        watchdog = Watchdog(
            WatchdogHooks(state_stuck=stuck.is_set),
            notifier=Notifier(path),
            watchdog_s=WATCHDOG_S,
            interval_s=PING_S,
            policy=EscalationPolicy(grace_s=0.0, step_s=0.1),
        )
        _on(loop, watchdog.start)
        systemd.collect(0.2)
        stuck.set()
        stuck_at = time.monotonic()
        systemd.collect(0.8)
        _on(loop, watchdog.close)
    assert max(systemd.times_of("WATCHDOG")) < stuck_at + 3 * PING_S


def test_an_abstract_socket_name() -> None:
    name = f"viewer-test-{uuid.uuid4().hex}"
    with listener(b"\0" + name.encode()) as systemd:
        notifier = Notifier("@" + name)
        assert notifier.send(STATUS="CONNECTING")
        systemd.collect(0.5)
        notifier.close()
    assert systemd.received[0][1] == {"STATUS": "CONNECTING"}


def test_notify_socket_is_read_once_and_kept_from_children(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "notify"))
    notifier = Notifier.from_environment()
    assert notifier.enabled
    import os

    assert "NOTIFY_SOCKET" not in os.environ  # a renderer process must not ping for us
    notifier.close()
