"""Every few seconds: the engine's round-trip time on the status bar and in the metrics, and the
renderer's memory held against its limit (long-running kiosks: renderers grow to gigabytes over
hours, reference notes); a renderer over the limit is replaced like a crashed one."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from viewer.core import state as vs
from viewer.features.base import Periodic
from viewer.log import emit, get_logger
from viewer.monitor.memory import resident_mib
from viewer.sheet.controller import SheetController

_log = get_logger("app")
LATENCY_INTERVAL_S = 5.0


class Housekeeping(Periodic):
    """Latency reports (`show_latency(sheet, ms)`, `observe_latency(s)`) and the renderer memory
    limit (`limit_mib`, 0 or None: no limit) for every sheet that `sheets()` returns."""

    interval_s = LATENCY_INTERVAL_S

    def __init__(
        self,
        sheets: Callable[[], Sequence[SheetController]],
        show_latency: Callable[[SheetController, float | None], None],
        observe_latency: Callable[[float], None],
        limit_mib: int | None,
    ) -> None:
        super().__init__()
        self.sheets = sheets
        self.show_latency = show_latency
        self.observe_latency = observe_latency
        self.limit_mib = limit_mib

    def step(self) -> None:
        for sheet in self.sheets():
            self._report_latency(sheet)
            self._check_renderer_memory(sheet)

    def _report_latency(self, sheet: SheetController) -> None:
        latency = sheet.session.latency if sheet.session is not None else None
        self.show_latency(sheet, None if latency is None else latency * 1000)
        if latency is not None:
            self.observe_latency(latency)

    def _check_renderer_memory(self, sheet: SheetController) -> None:
        limit = self.limit_mib
        if not limit or sheet.phase is not vs.Phase.LIVE:
            return
        held = resident_mib(sheet.page.renderProcessPid())
        if held is not None and held > limit:
            emit(_log, "web.renderer_memory", level=logging.WARNING, resident_mib=round(held),
                 limit_mib=limit)  # fmt: skip
            sheet.feed(vs.RendererTerminated("page.renderer_memory"))
