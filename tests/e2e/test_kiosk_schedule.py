"""The kiosk's daily schedule in the real program under Xvfb, with windows a few seconds from
now (times with seconds): the sheet is reloaded at `reload_at`, the screen goes dark during a
`display_off` window — "planned_off", its own state, healthy in /healthz — and the sheet is back
after it, each within a second of the planned moment. While dark the engine session is closed
(the sim holds none), and it is open again (one, LIVE) when the screen comes back. Xvfb here has
no DPMS extension (docs/kiosk.md), so the black cover stands in."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtGui import QImage
from screen import SHEET_BAR_COLOURS, count_colour, screen_until
from viewer_process import start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e

SHEET_PIXELS = 1000
BLACK_SHARE = 0.95
SESSION_TTL_S = 1  # the sim discards a session this soon after its last socket closed
WAKE_LEAD_S = 2


@pytest.fixture
def short_ttl_sim() -> Iterator[SimProcess]:
    """A Cloud sim that ends an engine session 1 s after its last socket (Qlik's default keeps
    it a while; the test is about the viewer closing its sockets, not about that wait)."""
    with SimProcess.start("cloud", extra_args=["--session-ttl", str(SESSION_TTL_S)]) as sim:
        yield sim


def _engine_sessions(sim: SimProcess) -> list[dict[str, Any]]:
    sessions: list[dict[str, Any]] = httpx.get(f"{sim.url}/_sim/state", timeout=5).json()[
        "sessions"
    ]
    return sessions


def _until(check: Callable[[], bool], timeout: float) -> bool:
    """Poll another process's state until `check` holds (it has no event to wait for)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def _black(image: QImage) -> bool:
    sampled = (image.width() // 8) * (image.height() // 8)
    return count_colour(image, ["#000000"], step=8, tolerance=4) >= BLACK_SHARE * sampled


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S")


def test_scheduled_reload_and_planned_off_window(short_ttl_sim: SimProcess, tmp_path: Path) -> None:
    sim = short_ttl_sim
    start = datetime.now().replace(microsecond=0)
    reload_at = start + timedelta(seconds=15)
    off_from, off_to = start + timedelta(seconds=19), start + timedelta(seconds=26)
    kiosk = {
        "reload_at": [_clock(reload_at)],
        "display_off": [f"{_clock(off_from)}-{_clock(off_to)}"],
        "display_on_lead_s": WAKE_LEAD_S,
    }
    monitor = {"port": 0}
    profile = write_profile(
        sim.ready, "cloud-jwt", tmp_path / "wall.toml", kiosk=kiosk, monitor=monitor
    )
    process = start_kiosk_run(profile, tmp_path)
    try:
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=14)
        listening = [line for line in process.lines if line.get("event") == "health.listening"]
        health = listening[0] if listening else process.wait_for("health.listening", timeout=5)
        healthz = f"http://127.0.0.1:{health['port']}/healthz"
        assert len(_engine_sessions(sim)) == 1
        reloaded = process.wait_for("kiosk.scheduled_reload", timeout=20)
        process.wait_for("sheet.loaded", timeout=10)
        off = process.wait_for("kiosk.display", timeout=10)
        process.wait_for("sheet.parked", timeout=5)
        freed = _until(lambda: not _engine_sessions(sim), SESSION_TTL_S + 2)
        reply = httpx.get(healthz, timeout=5)
        dark, _image = screen_until(_black, 3)
        woke = process.wait_for("sheet.waking", timeout=10)
        assert freed, f"the engine session stayed open while off: {_engine_sessions(sim)}"
        assert (reply.status_code, reply.json()["state"]) == (200, "PLANNED_OFF"), reply.text
        assert dark, "the screen is not dark in the planned-off window"
        on = process.wait_for("kiosk.display", timeout=10)
        back, _image = screen_until(lambda i: count_colour(i, SHEET_BAR_COLOURS) >= SHEET_PIXELS, 3)
        assert back, "the sheet is not back after the planned-off window"
        sessions = _engine_sessions(sim)
        after = httpx.get(healthz, timeout=5)
    finally:
        process.stop()
    assert [session["sockets"] > 0 for session in sessions] == [True], sessions
    assert (after.status_code, after.json()["state"]) == (200, "LIVE"), after.text
    woken = [line for line in process.lines if line.get("event") == "sheet.loaded"][-1]
    assert woken["ts"] < on["ts"], "the screen came on before the woken sheet had loaded"
    assert woke["ts"] < on["ts"]
    assert reloaded["action"] == "sheet"
    assert (off["state"], off["backend"]) == ("planned_off", "blank")
    assert on["state"] == "on"
    figures = {
        name: line["late_s"] for name, line in [("reload", reloaded), ("off", off), ("on", on)]
    }
    print(f"schedule: seconds after the planned moment {figures}")
    assert all(0 <= late <= 1.0 for late in figures.values()), figures
    assert not process.unexpected_errors()
