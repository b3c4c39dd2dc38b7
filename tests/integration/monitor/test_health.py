"""The health endpoint over a real loopback socket: /healthz follows the state, /metrics parses."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from viewer.config.models import MonitorConfig
from viewer.monitor.health import HealthServer, HealthServerError, ViewerMetrics, server_for

STATES = ("CONNECTING", "LIVE", "SUSPENDED", "OFFLINE", "AUTH_REQUIRED", "CLOSED")


async def _exercise() -> None:
    metrics = ViewerMetrics(STATES)
    server = HealthServer(metrics)
    port = await server.start()
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=5) as client:
            first = await client.get("/healthz")
            assert first.status_code == 503
            assert first.json()["state"] == "CONNECTING"

            metrics.observe_state("LIVE", None, view_visible=True)
            metrics.observe_latency(0.0123)
            metrics.count("page_loaded")
            live = await client.get("/healthz")
            assert live.status_code == 200
            assert live.json()["view_visible"] is True
            assert live.json()["engine_latency_ms"] == 12.3

            metrics.observe_state("SUSPENDED", "network", view_visible=False)
            suspended = await client.get("/healthz")
            assert suspended.status_code == 503
            assert suspended.json()["reason"] == "network"

            text = (await client.get("/metrics")).text
    finally:
        await server.stop()
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    main = ("tab", "main")
    assert samples[("viewer_state", (main, ("viewer_state", "SUSPENDED")))] == 1
    assert samples[("viewer_state", (main, ("viewer_state", "LIVE")))] == 0
    assert samples[("viewer_view_visible", (main,))] == 0
    assert samples[("viewer_state_transitions_total", (("state", "LIVE"), main))] == 1
    assert samples[("viewer_events_total", (("event", "page_loaded"),))] == 1
    assert samples[("viewer_engine_latency_seconds", (main,))] == 0.0123


def test_health_endpoint_follows_state() -> None:
    async def main() -> None:
        async with asyncio.timeout(20):
            await _exercise()

    asyncio.run(main())


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def _fleet_metrics() -> None:
    metrics = ViewerMetrics(STATES)
    server = HealthServer(metrics)
    port = await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            metrics.observe_state("LIVE", None, view_visible=True, tab="sales")
            metrics.observe_state("SUSPENDED", "network", view_visible=False, tab="stock")
            two = await client.get("/healthz")
            assert two.status_code == 503
            report = two.json()
            assert [tab["tab"] for tab in report["tabs"]] == ["sales", "stock"]  # no "main"
            assert report["state"] == "SUSPENDED"  # the tab that is not healthy leads
            metrics.planned_off(True, tab="stock")  # the screen is off at night, on purpose
            night = await client.get("/healthz")
            assert night.status_code == 200
            assert night.json()["tabs"][1]["state"] == "PLANNED_OFF"
            metrics.fault_seen("network", tab="sales")
            metrics.fault_healed("network", tab="sales")
            metrics.recovery("resume", tab="sales")
            metrics.renderer_crash(tab="sales")
            metrics.page_reload(tab="sales")
            metrics.capacity_minutes(6, tab="sales")
            metrics.restart("renderer")
            metrics.data_age(120.0, tab="sales")
            metrics.watchdog_escalation("reload-page")
            text = (await client.get("/metrics")).text
    finally:
        await server.stop()
    samples = _samples(text)
    sales = ("tab", "sales")
    assert samples[("viewer_faults_seen_total", (("kind", "network"), sales))] == 1
    assert samples[("viewer_faults_healed_total", (("kind", "network"), sales))] == 1
    assert samples[("viewer_recoveries_total", (("action", "resume"), sales))] == 1
    assert samples[("viewer_renderer_crashes_total", (sales,))] == 1
    assert samples[("viewer_page_reloads_total", (sales,))] == 1
    assert samples[("viewer_capacity_minutes_total", (sales,))] == 6
    assert samples[("viewer_restarts_total", (("component", "renderer"),))] == 1
    assert samples[("viewer_watchdog_escalations_total", (("action", "reload-page"),))] == 1
    assert 120 <= samples[("viewer_data_age_seconds", (sales,))] < 125
    assert samples[("viewer_planned_off", (("tab", "stock"),))] == 1
    assert samples[("viewer_state", (("tab", "stock"), ("viewer_state", "PLANNED_OFF")))] == 1
    assert not any(labels == (("tab", "main"),) for _, labels in samples)


def test_metrics_follow_prometheus_conventions_per_tab() -> None:
    async def main() -> None:
        async with asyncio.timeout(20):
            await _fleet_metrics()

    asyncio.run(main())


PNG = b"\x89PNG\r\n\x1a\n" + b"fake-but-opaque-bytes"


async def _behind_token() -> None:
    metrics = ViewerMetrics(STATES)
    server = HealthServer(metrics, token="s3cret-token-value", screenshot=lambda: PNG)
    port = await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for path in ("/healthz", "/metrics", "/screenshot"):
                assert (await client.get(path)).status_code == 401
                wrong = {"Authorization": "Bearer nope"}
                assert (await client.get(path, headers=wrong)).status_code == 401
            right = {"Authorization": "Bearer s3cret-token-value"}
            assert (await client.get("/healthz", headers=right)).status_code == 503
            shot = await client.get("/screenshot", headers=right)
            assert shot.status_code == 200
            assert shot.headers["content-type"] == "image/png"
            assert shot.content == PNG
    finally:
        await server.stop()


def test_a_token_guards_every_route_and_the_screenshot() -> None:
    async def main() -> None:
        async with asyncio.timeout(20):
            await _behind_token()

    asyncio.run(main())


async def _no_screenshot_without_token() -> None:
    server = HealthServer(ViewerMetrics(STATES), screenshot=lambda: PNG)
    port = await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            assert (await client.get("/screenshot")).status_code == 404
    finally:
        await server.stop()


def test_no_screenshot_without_a_token() -> None:
    asyncio.run(_no_screenshot_without_token())


def test_a_non_loopback_address_without_a_token_is_refused() -> None:
    with pytest.raises(HealthServerError, match="not a loopback address"):
        HealthServer(ViewerMetrics(STATES), host="0.0.0.0")


def test_the_monitor_section_builds_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    metrics = ViewerMetrics(STATES)
    assert server_for(MonitorConfig(), metrics) is None
    assert server_for(MonitorConfig(), metrics, port=0) is not None  # --health-port
    monkeypatch.delenv("VIEWER_TEST_MONITOR_TOKEN", raising=False)
    config = MonitorConfig(address="0.0.0.0", token="env:VIEWER_TEST_MONITOR_TOKEN", port=9)
    with pytest.raises(HealthServerError, match=r"monitor\.token"):
        server_for(config, metrics)
