"""Opt-in health and metrics endpoint (contract 4 in DESIGN.md) for fleets of wall displays.

`GET /healthz` answers the viewer's state as JSON — 200 while LIVE (the sheet is on screen and
current), 503 otherwise, so a load balancer or a fleet monitor can alert on it. `GET /metrics`
answers the same facts plus counters in Prometheus text format. The server binds loopback by
default and runs on the application's asyncio loop.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import prometheus_client
from aiohttp import web
from prometheus_client.core import CollectorRegistry

from viewer.log import emit, get_logger

_log = get_logger("monitor")

LIVE = "LIVE"


@dataclass
class HealthState:
    """What /healthz reports: the viewer's current state and when it was entered."""

    state: str = "CONNECTING"
    reason: str | None = None
    view_visible: bool = False
    since: float = field(default_factory=time.time)
    engine_latency_ms: float | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "state": self.state,
            "reason": self.reason,
            "view_visible": self.view_visible,
            "since": self.since,
            "seconds_in_state": round(time.time() - self.since, 3),
            "engine_latency_ms": self.engine_latency_ms,
        }


class ViewerMetrics:
    """The viewer's health facts, fed by the app and read by the health server."""

    def __init__(self, states: Sequence[str]) -> None:
        self.registry = CollectorRegistry()
        self.health = HealthState()
        prometheus_client.ProcessCollector(registry=self.registry)
        self._state = prometheus_client.Enum(
            "viewer_state", "Current viewer state", states=list(states), registry=self.registry
        )
        self._visible = prometheus_client.Gauge(
            "viewer_view_visible", "1 while the sheet is on screen", registry=self.registry
        )
        self._latency = prometheus_client.Gauge(
            "viewer_engine_latency_seconds", "Last engine round trip", registry=self.registry
        )
        self._transitions = prometheus_client.Counter(
            "viewer_state_transitions",
            "State changes, by the state entered",
            ["state"],
            registry=self.registry,
        )
        self._events = prometheus_client.Counter(
            "viewer_events",
            "Noteworthy events (reconnect attempts, page loads, renderer crashes, ...)",
            ["event"],
            registry=self.registry,
        )

    def observe_state(self, state: str, reason: str | None, view_visible: bool) -> None:
        if state != self.health.state:
            self._transitions.labels(state=state).inc()
            self.health.since = time.time()
        self.health.state = state
        self.health.reason = reason
        self.health.view_visible = view_visible
        self._state.state(state)
        self._visible.set(1 if view_visible else 0)

    def observe_latency(self, seconds: float) -> None:
        self.health.engine_latency_ms = round(seconds * 1000, 1)
        self._latency.set(seconds)

    def count(self, event: str) -> None:
        self._events.labels(event=event).inc()

    def exposition(self) -> bytes:
        return prometheus_client.generate_latest(self.registry)


class HealthServer:
    """A small aiohttp server answering /healthz and /metrics from a ViewerMetrics."""

    def __init__(self, metrics: ViewerMetrics, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._metrics = metrics
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self) -> int:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._prometheus)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else self._port
        emit(_log, "health.listening", host=self._host, port=self.port)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, _: web.Request) -> web.Response:
        health = self._metrics.health
        return web.json_response(health.as_json(), status=200 if health.state == LIVE else 503)

    async def _prometheus(self, _: web.Request) -> web.Response:
        return web.Response(
            body=self._metrics.exposition(),
            headers={"Content-Type": prometheus_client.CONTENT_TYPE_LATEST},
        )
