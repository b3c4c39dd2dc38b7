"""Qlik's own visualizations, nebula.js's bar chart and KPI from npm (unmodified), render objects
of the sim from their stored properties in a real QWebEngineView: the page (nebula/index.html)
and the packages (tests/integration/thirdparty/node_modules) are served from loopback, the
visualizations talk to the client-managed sim's anonymous virtual proxy through enigma.js."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aiohttp import web
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot
from sheet_driver import PageDriver

from viewer.sim.engine.data import sample_apps
from viewer.sim.server import RunningSim

pytestmark = pytest.mark.gui

Runner = Callable[[Coroutine[Any, Any, Any], float], Any]
HERE = Path(__file__).resolve().parent
CLIENTS = HERE.parents[1] / "integration" / "thirdparty" / "node_clients.py"
NEBULA_BAR = (0x26, 0xA0, 0xA7)  # the bar colour of nebula.js's default theme
MIN_BAR_PIXELS = 5000  # four bars of a 600 x 300 chart cover about 24,000


def _node_clients() -> ModuleType:
    """The third-party tier's installer (one place that knows how the packages get installed)."""
    spec = importlib.util.spec_from_file_location("node_clients", CLIENTS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def nebula_url(run_async: Runner) -> Iterator[str]:
    """A loopback server for the nebula page and the installed packages."""
    clients = _node_clients()
    clients.ensure_installed()

    async def index(_: web.Request) -> web.FileResponse:
        return web.FileResponse(HERE / "nebula" / "index.html")

    app = web.Application()
    app.router.add_get("/", index)
    app.router.add_static("/node_modules", clients.MODULES)
    runner = web.AppRunner(app, access_log=None)
    run_async(runner.setup(), 10.0)
    site = web.TCPSite(runner, "127.0.0.1", 0)
    run_async(site.start(), 10.0)
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        run_async(runner.cleanup(), 10.0)


def test_nebula_bar_chart_and_kpi_render_from_stored_properties(
    qtbot: QtBot, qseow_page_sim: RunningSim, nebula_url: str
) -> None:
    view = QWebEngineView()
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.show()
    page = PageDriver(qtbot, view, nebula_url, ("", ""))
    sim = qseow_page_sim
    prefix = sim.ready["credentials"]["anonymous"]["prefix"]
    app_id = sim.ready["apps"][0]["id"]
    engine = "ws" + sim.url.removeprefix("http") + f"/{prefix}/app/{app_id}/identity/nebula"
    page.load(f"{nebula_url}?engine={engine}&app={app_id}")

    page.wait_until("['ready', 'error'].includes(window.nebulaRun.state)", timeout_ms=40_000)
    run = page.js("window.nebulaRun")
    assert run["state"] == "ready", run["error"]
    assert run["rendered"] == ["bar-region", "kpi-sales"]
    page.wait_pixels(NEBULA_BAR, at_least=MIN_BAR_PIXELS)
    total = sum(float(row[3]) for row in sample_apps()[0].table.rows)
    kpi = "document.getElementById('kpi').textContent"
    page.wait_until(f"{kpi}.includes('{total / 1e6:.2f}M')")  # Sum(Sales), abbreviated
    assert "Total sales" in page.js(kpi)
