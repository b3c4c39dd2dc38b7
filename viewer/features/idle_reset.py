"""Idle reset for wall displays people can touch: after `kiosk.idle_reset_s` without input the
kiosk clears the selections someone made (engine ClearAll on the sheet's app, then the configured
bookmark; configured `select=` values come back with the start sheet's page) and shows the start
sheet again. Rotation pauses from the first input and resumes after the reset.

Input is counted in the kiosk window only (viewer.ui.activity); the reset waits for the sheet to
be LIVE (a notice on screen means recovery owns the page)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from viewer.config.models import SinglePageOptions
from viewer.core import state as vs
from viewer.engine.errors import EngineClientError
from viewer.features.rotation import Rotation
from viewer.log import emit, get_logger
from viewer.sheet.controller import SheetController

_log = get_logger("app")
RETRY_WHILE_NOT_LIVE_S = 1.0


class IdleReset:
    """Resets `sheet` to `start_sheet` (None: the sheet shown when input first came) after
    `idle_s` seconds without input. `watch(on_input)` connects the input source and returns
    its stop function; `rotation` (if any) pauses while someone interacts."""

    def __init__(
        self,
        sheet: SheetController,
        idle_s: float,
        *,
        start_sheet: str | None,
        single: SinglePageOptions,
        watch: Callable[[Callable[[], None]], Callable[[], None]],
        rotation: Rotation | None = None,
        on_activity: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sheet = sheet
        self.idle_s = idle_s
        self.start_sheet = start_sheet
        self.single = single
        self.rotation = rotation
        self.on_activity = on_activity
        self.clock = clock
        self._watch = watch
        self._stop_watching: Callable[[], None] | None = None
        self._last_input: float | None = None  # None: nobody has interacted since the last reset
        self._timer: asyncio.TimerHandle | None = None
        self._reset: asyncio.Task[None] | None = None

    @property
    def interacting(self) -> bool:
        """True from the first input until the reset that follows it."""
        return self._last_input is not None

    async def start(self) -> None:
        self._stop_watching = self._watch(self.on_input)

    async def close(self) -> None:
        if self._stop_watching is not None:
            self._stop_watching()
            self._stop_watching = None
        if self._timer is not None:
            self._timer.cancel()
        if self._reset is not None:
            self._reset.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reset

    def on_input(self) -> None:
        """A person touched the screen (called for every input event: keep it cheap)."""
        now = self.clock()
        if self.on_activity is not None:
            self.on_activity()
        if self._last_input is None:
            if self.start_sheet is None:
                self.start_sheet = self.sheet.sheet_id
            emit(_log, "kiosk.interaction", sheet=self.sheet.sheet_id)
            if self.rotation is not None:
                self.rotation.pause()
            self._arm(self.idle_s)
        self._last_input = now

    def _arm(self, delay: float) -> None:
        self._timer = asyncio.get_running_loop().call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        if self._last_input is None:
            return
        quiet = self.clock() - self._last_input
        if quiet < self.idle_s:
            self._arm(self.idle_s - quiet)  # input came meanwhile: wait for the rest
        elif self.sheet.phase is not vs.Phase.LIVE:
            self._arm(RETRY_WHILE_NOT_LIVE_S)
        elif self._reset is None or self._reset.done():
            self._reset = asyncio.get_running_loop().create_task(self._reset_now(quiet))

    async def _reset_now(self, quiet_s: float) -> None:
        """Clear the selections, apply the configured bookmark, show the start sheet."""
        self._last_input = None
        doc = self.sheet.doc
        cleared = False
        if doc is not None:
            try:
                await doc.clear_all()
                if self.single.bookmark:
                    await doc.apply_bookmark(self.single.bookmark)
                cleared = True
            except EngineClientError as error:
                emit(_log, "kiosk.idle_reset_failed", level=logging.WARNING,
                     error=type(error).__name__, message=str(error))  # fmt: skip
        start = self.start_sheet
        reload_page = start is not None and (start != self.sheet.sheet_id or self.single.select)
        if start is not None and reload_page:
            self.sheet.show_sheet(start)
        emit(_log, "kiosk.idle_reset", sheet=start, quiet_s=round(quiet_s, 3),
             selections_cleared=cleared, page_reloaded=bool(reload_page))  # fmt: skip
        if self.rotation is not None:
            self.rotation.resume()
