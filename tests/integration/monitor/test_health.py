"""The health endpoint over a real loopback socket: /healthz follows the state, /metrics parses."""

from __future__ import annotations

import asyncio

import httpx
from prometheus_client.parser import text_string_to_metric_families

from viewer.monitor.health import HealthServer, ViewerMetrics

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
