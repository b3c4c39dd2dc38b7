"""Freshness on the wall: the app's last reload time (GetAppLayout's qLastReloadTime) on a badge,
read again whenever the engine reports the app's Doc changed (a reload tells every client), and
a warning when the data is older than `kiosk.stale_after_s` (a wall must not show yesterday's
numbers as today's). The badge shows only while the sheet is LIVE."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Protocol

from viewer.core import state as vs
from viewer.core.freshness import Freshness, parse_reload_time
from viewer.engine.errors import EngineClientError
from viewer.engine.objects import ApiObject, Doc
from viewer.features.base import Periodic
from viewer.log import emit, get_logger
from viewer.sheet.controller import SheetController

_log = get_logger("app")
CHECK_INTERVAL_S = 1.0  # the sheet's phase and the data's age are looked at this often

if TYPE_CHECKING:
    from viewer.monitor.metrics import ViewerMetrics


class Badge(Protocol):
    """Where the freshness is shown (viewer.ui.freshness.FreshnessBadge)."""

    def show_freshness(self, text: str, *, stale: bool) -> None: ...

    def hide(self) -> None: ...


class FreshnessWatch(Periodic):
    """Keeps `badge` up to date with `sheet`'s app. `always` shows the badge at all times,
    else only when the data is stale (a warning, no badge while fresh)."""

    interval_s = CHECK_INTERVAL_S

    def __init__(
        self,
        sheet: SheetController,
        badge: Badge,
        *,
        stale_after_s: float | None,
        always: bool,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        zone: tzinfo | None = None,
    ) -> None:
        super().__init__()
        self.sheet = sheet
        self.badge = badge
        self.stale_after_s = stale_after_s
        self.always = always
        self.now = now
        self.zone = zone
        self.freshness: Freshness | None = None
        self._doc: Doc | None = None
        self._stop_listening: Callable[[], None] | None = None
        self._reading: asyncio.Task[None] | None = None
        self._shown: tuple[str, bool] | None = None

    def data_age_s(self) -> float | None:
        """Seconds since the app's data was reloaded (None: not known yet) — for metrics."""
        return None if self.freshness is None else self.freshness.age_s(self.now())

    def stale(self) -> bool:
        """True when the data on the wall is older than allowed — for health and metrics."""
        return self.freshness is not None and self.freshness.stale(self.now())

    def report(self, metrics: ViewerMetrics, tab: str) -> None:
        """The data's age (viewer_data_age_seconds) once it is known."""
        age = self.data_age_s()
        if age is not None:
            metrics.data_age(age, tab=tab)

    async def start(self) -> None:
        await super().start()
        self.step()

    async def close(self) -> None:
        await super().close()
        self._forget_doc()
        if self._reading is not None:
            self._reading.cancel()

    def step(self) -> None:
        doc = self.sheet.doc
        if doc is not self._doc:
            self._forget_doc()
            if doc is not None:
                self._doc = doc
                self._stop_listening = doc.changed.add(self._on_doc_changed)
                self._read()
        self._show()

    def _forget_doc(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()
        self._stop_listening = None
        self._doc = None

    def _on_doc_changed(self, _doc: ApiObject) -> None:
        self._read()

    def _read(self) -> None:
        if self._reading is None or self._reading.done():
            self._reading = asyncio.get_running_loop().create_task(self._read_layout())

    async def _read_layout(self) -> None:
        doc = self._doc
        if doc is None:
            return
        try:
            layout = await doc.get_app_layout()
        except EngineClientError as error:
            emit(_log, "kiosk.freshness_unknown", level=logging.DEBUG, error=type(error).__name__)
            return
        reloaded_at = parse_reload_time(layout.get("qLastReloadTime"))
        fresh = None if reloaded_at is None else Freshness(reloaded_at, self.stale_after_s)
        if fresh != self.freshness:
            self.freshness = fresh
            emit(_log, "kiosk.data_reloaded",
                 reloaded_at=None if reloaded_at is None else reloaded_at.isoformat())  # fmt: skip
        self._show()

    def _show(self) -> None:
        fresh = self.freshness
        now = self.now()
        wanted: tuple[str, bool] | None = None
        shown = self.sheet.phase is vs.Phase.LIVE and not self.sheet.parked  # parked: screen off
        if fresh is not None and shown:
            stale = fresh.stale(now)
            if self.always or stale:
                wanted = (fresh.text(now, self.zone), stale)
        if wanted == self._shown:
            return
        self._shown = wanted
        if wanted is None:
            self.badge.hide()
            emit(_log, "kiosk.freshness", shown=False)
            return
        text, stale = wanted
        self.badge.show_freshness(text, stale=stale)
        emit(_log, "kiosk.freshness", shown=True, text=text, stale=stale,
             age_s=round(fresh.age_s(now)) if fresh is not None else None)  # fmt: skip
