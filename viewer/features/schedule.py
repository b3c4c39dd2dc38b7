"""The kiosk's daily schedule as a feature: the sheet reloaded (or the viewer restarted) at
`kiosk.reload_at`, the screen off during `kiosk.display_off` windows and on again after them.

While the screen is off the sheet may be parked (`park`, e.g. `SheetController.park`: its engine
session closed, which frees the tenant's session slot and capacity); it is woken `wake_lead_s`
before the screen comes on again, and the screen comes on once the sheet has loaded (at most
`WAKE_GRACE_S` after the planned moment), so that it shows a current sheet, not a reconnecting one.

"Off on purpose" is a state of its own (`display_state()`: "on" / "planned_off"), so that health
and metrics can tell a screen switched off by plan from one that failed. The loop sleeps until
the next planned moment (at most `MAX_SLEEP_S`, so a changed wall clock is noticed) and logs how
late each change came (`late_s`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from viewer.core.schedule import DailySchedule
from viewer.log import emit, get_logger

_log = get_logger("app")
MAX_SLEEP_S = 30.0
SHORT_SLEEP_S = 0.2  # sleeps this short are exact enough to take whole
WAKE_GRACE_S = 60.0  # the screen comes on by then even if the woken sheet has not loaded
RESTART_EXIT_CODE = 75  # EX_TEMPFAIL: "try again" — a service manager starts the viewer again

if TYPE_CHECKING:
    from viewer.monitor.metrics import ViewerMetrics


class Schedules:
    """Runs `schedule`: `set_display_on(bool)` switches the screen, `reload()` reloads the
    sheet and `restart()` ends the viewer for its service manager (per `reload_action`);
    `now()` is the wall's local time (naive); `reported()` passes a change of the display state
    on to the fleet monitor at once (instead of at its next periodic report). With `park`
    (returns whether it parked) and `wake`, the sheet is parked while the screen is off and
    woken `wake_lead_s` before it comes on."""

    def __init__(
        self,
        schedule: DailySchedule,
        *,
        reload_action: str,
        reload: Callable[[], None],
        restart: Callable[[], None],
        set_display_on: Callable[[bool], None],
        display_backend: str,
        park: Callable[[], Awaitable[bool]] | None = None,
        wake: Callable[[], Coroutine[Any, Any, None]] | None = None,
        wake_lead_s: float = 60.0,
        reported: Callable[[], None] = lambda: None,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.schedule = schedule
        self.reload_action = reload_action
        self._reload = reload
        self._restart = restart
        self._set_display_on = set_display_on
        self.display_backend = display_backend
        self.now = now
        self.display_off = False
        self._park = park
        self._wake = wake
        self.wake_lead_s = wake_lead_s
        self._reported = reported
        self._parked = False
        self._waking: asyncio.Task[None] | None = None
        self._task: asyncio.Task[None] | None = None

    def display_state(self) -> str:
        """`planned_off` while the screen is off by schedule, else `on` (for health/metrics)."""
        return "planned_off" if self.display_off else "on"

    def report(self, metrics: ViewerMetrics, tab: str) -> None:
        """The fleet monitor hears "off on purpose" (PLANNED_OFF, healthy), not "failed"."""
        metrics.planned_off(self.display_off, tab=tab)

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def close(self) -> None:
        for task in (self._task, self._waking):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self.display_off:
            self._switch(False, None)  # never leave a screen dark behind us

    async def _run(self) -> None:
        now = self.now()
        await self._follow_display(now, planned=None)
        next_reload = self.schedule.next_reload(now)
        while True:
            now = self.now()
            next_change = self.schedule.next_display_change(now)
            wake_at = self._wake_at(next_change)
            moments = [m for m in (next_reload, next_change, wake_at) if m is not None]
            if not moments:
                return
            await self._sleep_until(min(moments))
            now = self.now()
            if wake_at is not None and now >= wake_at:
                self._start_wake()
            if next_change is not None and now >= next_change:
                await self._follow_display(now, planned=next_change)
            else:
                await self._follow_display(now, planned=None)  # a clock change may have moved us
            if next_reload is not None and now >= next_reload:
                self._reload_now(now, next_reload)
                next_reload = self.schedule.next_reload(now)

    async def _sleep_until(self, due: datetime) -> None:
        """Sleep until `due`, at most MAX_SLEEP_S. Qt's timers behind the loop may fire up to 5 %
        late: sleep 90 % of what is left, again and again, then the last fraction exactly."""
        deadline = asyncio.get_running_loop().time() + MAX_SLEEP_S
        while True:
            remaining = (due - self.now()).total_seconds()
            budget = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or budget <= 0:
                return
            step = remaining * 0.9 if remaining > SHORT_SLEEP_S else remaining
            await asyncio.sleep(min(step, budget))

    def _wake_at(self, next_change: datetime | None) -> datetime | None:
        """When to wake the parked sheet: `wake_lead_s` before the screen comes on."""
        if not self._parked or next_change is None:
            return None
        return next_change - timedelta(seconds=self.wake_lead_s)

    def _start_wake(self) -> None:
        if self._parked and self._wake is not None:
            self._parked = False
            self._waking = asyncio.get_running_loop().create_task(self._wake())

    async def _follow_display(self, now: datetime, planned: datetime | None) -> None:
        off = self.schedule.display_off_at(now)
        if off == self.display_off:
            return
        if not off:
            await self._awake()
        late = None if planned is None else (self.now() - planned).total_seconds()
        self._switch(off, late)
        if off and self._park is not None:
            self._parked = await self._park()

    async def _awake(self) -> None:
        """Before the screen comes on: the parked sheet woken (if the wake was not due yet, e.g.
        after a clock change) and loaded, waited for at most WAKE_GRACE_S."""
        self._start_wake()
        waking = self._waking
        if waking is None or waking.done():
            return
        started = self.now()
        await asyncio.wait({waking}, timeout=WAKE_GRACE_S)
        waited = round((self.now() - started).total_seconds(), 3)
        emit(_log, "kiosk.woken", loaded=waking.done(), waited_s=waited)

    def _switch(self, off: bool, late_s: float | None) -> None:
        self._set_display_on(not off)
        self.display_off = off
        self._reported()
        emit(_log, "kiosk.display", state=self.display_state(), backend=self.display_backend,
             late_s=None if late_s is None else round(late_s, 3))  # fmt: skip

    def _reload_now(self, now: datetime, planned: datetime) -> None:
        late = round((now - planned).total_seconds(), 3)
        emit(_log, "kiosk.scheduled_reload", action=self.reload_action, late_s=late)
        if self.reload_action == "restart":
            self._restart()
        else:
            self._reload()
