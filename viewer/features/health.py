"""The opt-in health endpoint as a feature: `/healthz` and `/metrics` on the configured port,
fed with every sheet's state (see viewer.monitor.health)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewer.core import state as vs

if TYPE_CHECKING:
    from viewer.monitor.health import HealthServer, ViewerMetrics


class Health:
    """Serves health and metrics on `port` while started; `observe(directive)` records a state."""

    def __init__(self, port: int) -> None:
        from viewer.monitor.health import HealthServer, ViewerMetrics

        self.metrics: ViewerMetrics = ViewerMetrics([phase.value for phase in vs.Phase])
        self.server: HealthServer = HealthServer(self.metrics, port=port)

    async def start(self) -> None:
        await self.server.start()

    async def close(self) -> None:
        await self.server.stop()

    def observe(self, directive: vs.Directive) -> None:
        self.metrics.observe_state(
            directive.phase.value, directive.reason_key, directive.view_visible
        )

    def observe_latency(self, seconds: float) -> None:
        self.metrics.observe_latency(seconds)
