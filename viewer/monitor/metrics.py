"""The viewer's health facts for a fleet monitor: one `ViewerMetrics` the app and its features
feed, read by the health endpoint as /healthz JSON and /metrics Prometheus text.

Names follow Prometheus conventions: the `viewer_` prefix, base units in the name (`_seconds`),
`_total` on counters. Facts about one sheet carry a `tab` label (`main` unless the caller names
its tabs: an analyst window has several), so one display reports each of its sheets. A sheet that
is off on purpose (a display power schedule) reports `PLANNED_OFF`, which is healthy: a monitor
must tell "off on purpose" from "failed".
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import prometheus_client
from prometheus_client.core import CollectorRegistry

import viewer

DEFAULT_TAB: Final = "main"
LIVE: Final = "LIVE"
PLANNED_OFF: Final = "PLANNED_OFF"
HEALTHY_STATES: Final = frozenset({LIVE, PLANNED_OFF})


@dataclass
class HealthState:
    """What /healthz reports about one sheet: its state and since when, and a few facts."""

    state: str = "CONNECTING"
    reason: str | None = None
    view_visible: bool = False
    since: float = field(default_factory=time.time)
    engine_latency_ms: float | None = None
    planned_off: bool = False
    data_reloaded_at: float | None = None  # the app's last data reload (epoch seconds)

    @property
    def reported_state(self) -> str:
        """The state a monitor sees: PLANNED_OFF while off on purpose, else the viewer's."""
        return PLANNED_OFF if self.planned_off else self.state

    @property
    def healthy(self) -> bool:
        return self.reported_state in HEALTHY_STATES

    def data_age_s(self, now: float) -> float | None:
        return None if self.data_reloaded_at is None else max(0.0, now - self.data_reloaded_at)

    def as_json(self) -> dict[str, object]:
        now = time.time()
        age = self.data_age_s(now)
        return {
            "state": self.reported_state,
            "reason": self.reason,
            "view_visible": self.view_visible,
            "since": self.since,
            "seconds_in_state": round(now - self.since, 3),
            "engine_latency_ms": self.engine_latency_ms,
            "planned_off": self.planned_off,
            "data_age_s": None if age is None else round(age, 1),
        }


class ViewerMetrics:
    """The viewer's health facts, fed by the app and its features, read by the health server.

    Every method is cheap and safe to call from the event loop at any time; `tab` names the
    sheet a fact is about (default `main`)."""

    def __init__(self, states: Sequence[str]) -> None:
        self.registry = CollectorRegistry()
        self._tabs: dict[str, HealthState] = {}
        prometheus_client.ProcessCollector(registry=self.registry)
        registry = self.registry
        prometheus_client.Info("viewer", "The viewer's version", registry=registry).info(
            {"version": viewer.__version__}
        )
        all_states = [*dict.fromkeys([HealthState().state, *states, PLANNED_OFF])]
        self._known_states = frozenset(all_states)
        self._state = prometheus_client.Enum(
            "viewer_state", "Current state of each sheet", ["tab"], states=all_states,
            registry=registry,
        )  # fmt: skip
        self._visible = _gauge("viewer_view_visible", "1 while the sheet is on screen", registry)
        self._planned_off = _gauge(
            "viewer_planned_off", "1 while the sheet is off on purpose (a schedule)", registry
        )
        self._latency = _gauge("viewer_engine_latency_seconds", "Last engine round trip", registry)
        self._data_age = _gauge(
            "viewer_data_age_seconds", "Age of the app's data (since its last reload)", registry
        )
        self._data_reloaded = _gauge(
            "viewer_data_last_reload_timestamp_seconds",
            "When the app's data was last reloaded (Unix time)",
            registry,
        )
        self._transitions = _counter(
            "viewer_state_transitions", "State changes, by the state entered", ["tab", "state"],
            registry,
        )  # fmt: skip
        self._events = _counter(
            "viewer_events",
            "Noteworthy events (reconnect attempts, page loads, ...)",
            ["event"],
            registry,
        )
        self._faults_seen = _counter(
            "viewer_faults_seen", "Faults noticed, by kind", ["tab", "kind"], registry
        )
        self._faults_healed = _counter(
            "viewer_faults_healed", "Faults healed (back to LIVE), by kind", ["tab", "kind"],
            registry,
        )  # fmt: skip
        self._recoveries = _counter(
            "viewer_recoveries", "Recovery attempts started, by action", ["tab", "action"],
            registry,
        )  # fmt: skip
        self._restarts = _counter(
            "viewer_restarts",
            "Restarts the viewer made or asked for, by component (renderer, app)",
            ["component"],
            registry,
        )
        self._renderer_crashes = _counter(
            "viewer_renderer_crashes", "Renderer processes that ended abnormally", ["tab"],
            registry,
        )  # fmt: skip
        self._page_reloads = _counter(
            "viewer_page_reloads", "Sheet page (re)loads", ["tab"], registry
        )
        self._capacity = _counter(
            "viewer_capacity_minutes",
            "Analyzer-Capacity minutes the viewer's activity caused",
            ["tab"],
            registry,
        )
        self._escalations = _counter(
            "viewer_watchdog_escalations",
            "Watchdog escalation steps taken, by action",
            ["action"],
            registry,
        )
        self._register(DEFAULT_TAB)
        self._default_is_placeholder = True  # until fed: dropped when named tabs appear

    # ---- per-sheet state ----------------------------------------------------------------------

    def tab(self, tab: str) -> HealthState:
        """The health of sheet `tab`, registered on first use. The `main` sheet stands in
        until the first fact arrives; a window that names its tabs does without it."""
        if tab == DEFAULT_TAB:
            self._default_is_placeholder = False
        elif self._default_is_placeholder:
            self._default_is_placeholder = False
            self.remove_tab(DEFAULT_TAB)
        return self._register(tab)

    def _register(self, tab: str) -> HealthState:
        health = self._tabs.get(tab)
        if health is None:
            health = self._tabs[tab] = HealthState()
            self._state.labels(tab=tab).state(health.state)
            self._visible.labels(tab=tab).set(0)
            self._planned_off.labels(tab=tab).set(0)
        return health

    def remove_tab(self, tab: str) -> None:
        """Forget sheet `tab` (closed); its counters stay."""
        if self._tabs.pop(tab, None) is None:
            return
        for family in (self._state, self._visible, self._planned_off, self._latency):
            _forget(family, tab)
        for family in (self._data_age, self._data_reloaded):
            _forget(family, tab)

    @property
    def tabs(self) -> dict[str, HealthState]:
        return dict(self._tabs)

    @property
    def health(self) -> HealthState:
        """The health of the default sheet (the only one outside analyst windows)."""
        return self._tabs.get(DEFAULT_TAB) or next(iter(self._tabs.values()), HealthState())

    def observe_state(
        self, state: str, reason: str | None, view_visible: bool, *, tab: str = DEFAULT_TAB
    ) -> None:
        """The state machine's directive for sheet `tab` (what the user sees)."""
        health = self.tab(tab)
        before = health.reported_state
        if state != health.state:
            health.since = time.time()
        health.state = state
        health.reason = reason
        health.view_visible = view_visible
        self._report_state(tab, health, before)
        self._visible.labels(tab=tab).set(1 if view_visible else 0)

    def planned_off(self, off: bool, *, tab: str = DEFAULT_TAB) -> None:
        """Sheet `tab` is off on purpose (True) or back on schedule (False)."""
        health = self.tab(tab)
        before = health.reported_state
        if off != health.planned_off:
            health.since = time.time()
        health.planned_off = off
        self._report_state(tab, health, before)
        self._planned_off.labels(tab=tab).set(1 if off else 0)

    def _report_state(self, tab: str, health: HealthState, before: str) -> None:
        reported = health.reported_state
        if reported != before:
            self._transitions.labels(tab=tab, state=reported).inc()
        if reported in self._known_states:  # the enum cannot grow; the JSON still says it
            self._state.labels(tab=tab).state(reported)

    def observe_latency(self, seconds: float, *, tab: str = DEFAULT_TAB) -> None:
        """The engine's last round trip for sheet `tab`."""
        self.tab(tab).engine_latency_ms = round(seconds * 1000, 1)
        self._latency.labels(tab=tab).set(seconds)

    def data_age(self, seconds: float, *, tab: str = DEFAULT_TAB) -> None:
        """The app's data is `seconds` old now (since its last reload); it keeps ageing until
        the next call."""
        self.tab(tab).data_reloaded_at = time.time() - max(0.0, seconds)

    # ---- counters -----------------------------------------------------------------------------

    def count(self, event: str) -> None:
        """A noteworthy event without a counter of its own."""
        self._events.labels(event=event).inc()

    def fault_seen(self, kind: str, *, tab: str = DEFAULT_TAB) -> None:
        self._faults_seen.labels(tab=tab, kind=kind).inc()

    def fault_healed(self, kind: str, *, tab: str = DEFAULT_TAB) -> None:
        self._faults_healed.labels(tab=tab, kind=kind).inc()

    def recovery(self, action: str = "any", *, tab: str = DEFAULT_TAB) -> None:
        """A recovery attempt started (resume, reload-sheet, reauth-silent, ...)."""
        self._recoveries.labels(tab=tab, action=action).inc()

    def restart(self, component: str) -> None:
        """The viewer restarted (or asked its supervisor to restart) `component`."""
        self._restarts.labels(component=component).inc()

    def renderer_crash(self, *, tab: str = DEFAULT_TAB) -> None:
        self._renderer_crashes.labels(tab=tab).inc()

    def page_reload(self, *, tab: str = DEFAULT_TAB) -> None:
        self._page_reloads.labels(tab=tab).inc()

    def capacity_minutes(self, minutes: float, *, tab: str = DEFAULT_TAB) -> None:
        """Add `minutes` of Analyzer-Capacity use caused by sheet `tab`."""
        if minutes > 0:
            self._capacity.labels(tab=tab).inc(minutes)

    def watchdog_escalation(self, action: str) -> None:
        self._escalations.labels(action=action).inc()

    # ---- reading ------------------------------------------------------------------------------

    def exposition(self) -> bytes:
        """The /metrics body (Prometheus text format)."""
        now = time.time()
        for name, health in self._tabs.items():
            age = health.data_age_s(now)
            if age is not None and health.data_reloaded_at is not None:
                self._data_age.labels(tab=name).set(age)
                self._data_reloaded.labels(tab=name).set(health.data_reloaded_at)
        return prometheus_client.generate_latest(self.registry)

    def health_report(self) -> tuple[bool, bytes]:
        """Whether every sheet is healthy, and the /healthz body: the leading sheet's fields
        (the first that is not healthy, else the first) at the top, every sheet under `tabs`."""
        tabs = list(self._tabs.items())
        healthy = all(health.healthy for _, health in tabs)
        leading = next((h for _, h in tabs if not h.healthy), self.health)
        body = {
            **leading.as_json(),
            "healthy": healthy,
            "tabs": [{"tab": name, **health.as_json()} for name, health in tabs],
        }
        return healthy, json.dumps(body).encode()


def _gauge(name: str, documentation: str, registry: CollectorRegistry) -> prometheus_client.Gauge:
    return prometheus_client.Gauge(name, documentation, ["tab"], registry=registry)


def _counter(
    name: str, documentation: str, labels: list[str], registry: CollectorRegistry
) -> prometheus_client.Counter:
    return prometheus_client.Counter(name, documentation, labels, registry=registry)


def _forget(family: prometheus_client.Gauge | prometheus_client.Enum, tab: str) -> None:
    with contextlib.suppress(KeyError):  # never reported for this tab
        family.remove(tab)
