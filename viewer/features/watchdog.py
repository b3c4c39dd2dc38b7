"""systemd's watchdog as a feature (viewer.monitor.watchdog does the protocol and the escalation):
READY=1 once the first state is on screen, STATUS= with every sheet's state, and WATCHDOG=1
pings only while the loop turns, every renderer answers and no sheet is stuck past its
deadline; when they stop, the page is reloaded, then the renderer killed (it is replaced like a
crashed one), then systemd restarts the viewer. Without NOTIFY_SOCKET nothing is sent."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from viewer.core import state as vs
from viewer.monitor.watchdog import Watchdog, WatchdogHooks
from viewer.web.socket_watch import HEARTBEAT_MS

RENDERER_SILENCE_S = 5 * HEARTBEAT_MS / 1000  # a LIVE page silent this long is hung

if TYPE_CHECKING:
    from viewer.monitor.metrics import ViewerMetrics
    from viewer.sheet.controller import SheetController


class SystemdWatchdog:
    """Watches `sheets()`; `limit_s` is how long a sheet may stay in one state that waits for
    nobody (neither the user nor the network) before it counts as stuck."""

    def __init__(
        self,
        sheets: Callable[[], Sequence[SheetController]],
        limit_s: float,
        metrics: ViewerMetrics | None = None,
    ) -> None:
        self.sheets = sheets
        self.limit_s = limit_s
        hooks = WatchdogHooks(
            renderer_answers=self._renderers_answer,
            state_stuck=self._stuck,
            reload_page=self._reload_pages,
            restart_renderer=self._kill_renderers,
        )
        self.watchdog = Watchdog(hooks, metrics=metrics)
        self._ready = False

    async def start(self) -> None:
        self.watchdog.start()

    async def close(self) -> None:
        self.watchdog.close()

    def observe(self, directive: vs.Directive) -> None:
        """A sheet's new state: READY=1 the first time, STATUS= every time."""
        status = (
            " ".join(
                f"{sheet.tab or 'sheet'}: {sheet.machine.phase.value}" for sheet in self.sheets()
            )
            or directive.phase.value
        )
        if not self._ready:
            self._ready = True
            self.watchdog.ready(status)
        else:
            self.watchdog.status(status)

    def _reload_pages(self) -> None:
        for sheet in self.sheets():
            sheet.reload()

    def _stuck(self) -> bool:
        now = time.monotonic()
        return any(_stuck(sheet, now, self.limit_s) for sheet in self.sheets())

    async def _renderers_answer(self) -> bool:
        now = time.monotonic()
        return all(_answers(sheet, now, RENDERER_SILENCE_S) for sheet in self.sheets())

    def _kill_renderers(self) -> None:
        for sheet in self.sheets():
            pid = sheet.page.renderProcessPid()
            if pid > 0:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)


def _stuck(sheet: SheetController, now: float, limit_s: float) -> bool:
    directive = sheet.machine.directive
    if directive.phase in (vs.Phase.LIVE, vs.Phase.OFFLINE) or directive.waits_for_user:
        return False
    return now - sheet.state_changed_at > limit_s


def _answers(sheet: SheetController, now: float, silence_s: float) -> bool:
    """A LIVE sheet's renderer sends a heartbeat every few seconds (viewer.web.socket_watch); a
    hung renderer falls silent. A hidden page's timers are throttled, so only a LIVE sheet is
    asked (a sheet that is not LIVE is covered by the stuck-state check), and not a parked
    one (its page is an empty document while the screen is off by plan)."""
    if sheet.parked or sheet.machine.phase is not vs.Phase.LIVE:
        return True
    if now - sheet.state_changed_at < silence_s:
        return True  # not asked, or LIVE too briefly to have said anything yet
    alive_at = sheet.page.socket_watch.alive_at
    return alive_at is not None and now - alive_at <= silence_s
