"""The health endpoint as a feature: `/healthz`, `/metrics` (and `/screenshot` behind a token)
on the port `--health-port` or `monitor.port` names, fed with every sheet's state, the faults it
saw and healed, its recoveries, and the facts other features report (display off on purpose,
data age, capacity minutes). See viewer.monitor.health and viewer.monitor.metrics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from viewer.core import state as vs
from viewer.features.base import Periodic

if TYPE_CHECKING:
    from viewer.config.models import MonitorConfig
    from viewer.monitor.health import HealthServer, ScreenshotSource
    from viewer.monitor.metrics import ViewerMetrics

REPORT_EVERY_S = 5.0


@runtime_checkable
class Reporting(Protocol):
    """A feature with facts for the fleet monitor (it writes them into the metrics)."""

    def report(self, metrics: ViewerMetrics, tab: str) -> None:
        """Write this feature's current facts for sheet `tab`."""


class Health(Periodic):
    """Serves health and metrics while started; `observe(tab, directive)` records a sheet's
    state; every few seconds the `reporting` features write their facts."""

    interval_s = REPORT_EVERY_S

    def __init__(
        self,
        monitor: MonitorConfig,
        port: int | None,
        *,
        screenshot: ScreenshotSource | None = None,
        reporting: Callable[[], Sequence[Reporting]] = tuple,
    ) -> None:
        from viewer.monitor.health import server_for
        from viewer.monitor.metrics import ViewerMetrics

        super().__init__()
        self.metrics: ViewerMetrics = ViewerMetrics([phase.value for phase in vs.Phase])
        self.server: HealthServer | None = server_for(
            monitor, self.metrics, port=port, screenshot=screenshot
        )
        self.reporting = reporting
        self._fault: dict[str, str] = {}  # tab -> the fault it is recovering from

    async def start(self) -> None:
        if self.server is not None:
            await self.server.start()
        await super().start()

    async def close(self) -> None:
        await super().close()
        if self.server is not None:
            await self.server.stop()

    def step(self) -> None:
        from viewer.monitor.metrics import DEFAULT_TAB

        for feature in self.reporting():
            feature.report(self.metrics, DEFAULT_TAB)

    def observe(self, tab: str | None, directive: vs.Directive) -> None:
        """Record what sheet `tab` (None: the window's only sheet) shows now, and count what it
        tells: a fault seen when the sheet leaves LIVE (by its reason), healed when it is LIVE
        again, each recovery started, each page reload and renderer crash."""
        from viewer.monitor.metrics import DEFAULT_TAB

        tab = tab or DEFAULT_TAB
        metrics = self.metrics
        metrics.observe_state(
            directive.phase.value, directive.reason_key, directive.view_visible, tab=tab
        )
        fault = self._fault.get(tab)
        if directive.phase is vs.Phase.LIVE:
            if fault is not None:
                metrics.fault_healed(fault, tab=tab)
                del self._fault[tab]
        elif fault is None and directive.reason_key is not None:
            self._fault[tab] = directive.reason_key
            metrics.fault_seen(directive.reason_key, tab=tab)
            if directive.reason_key == "page.renderer_crashed":
                metrics.renderer_crash(tab=tab)
        if directive.perform is not None:
            metrics.recovery(directive.perform.value, tab=tab)
            if directive.perform is vs.RecoveryAction.RELOAD_SHEET:
                metrics.page_reload(tab=tab)

    def observe_latency(self, seconds: float) -> None:
        self.metrics.observe_latency(seconds)
