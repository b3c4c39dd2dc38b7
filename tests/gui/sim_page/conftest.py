"""Fixtures for the /single/ page tests: sims of both flavours on the gui tier's qasync loop,
and a QWebEngineView driver that signs in as the sim's user alice."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEngineCertificateError
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot
from sheet_driver import PageDriver

from viewer.sim.server import RunningSim, start_sim
from viewer.sim.tenant import Flavor

Runner = Callable[[Coroutine[Any, Any, Any], float], Any]


def _serve(flavor: Flavor, run_async: Runner, *, tls: bool = False) -> Iterator[RunningSim]:
    """A sim served from this process's qasync loop (Qt events keep it running)."""
    manager = start_sim(flavor, tls=tls)
    running: RunningSim = run_async(manager.__aenter__(), 30.0)
    try:
        yield running
    finally:
        run_async(manager.__aexit__(None, None, None), 15.0)


@pytest.fixture
def page_sim(run_async: Runner) -> Iterator[RunningSim]:
    """A Qlik Cloud flavoured sim."""
    yield from _serve("cloud", run_async)


@pytest.fixture
def tls_page_sim(run_async: Runner) -> Iterator[RunningSim]:
    """A Qlik Cloud flavoured sim over HTTPS/WSS with its generated CA."""
    yield from _serve("cloud", run_async, tls=True)


@pytest.fixture
def qseow_page_sim(run_async: Runner) -> Iterator[RunningSim]:
    """A client-managed flavoured sim (the page lives under the virtual proxy's prefix)."""
    yield from _serve("qseow", run_async)


def _driver(qtbot: QtBot, sim: RunningSim, base_url: str) -> PageDriver:
    view = QWebEngineView()
    qtbot.addWidget(view)  # qtbot closes and deletes it after the test
    view.page().profile().cookieStore().deleteAllCookies()
    view.resize(1024, 720)
    view.show()
    users = {u["username"]: u["password"] for u in sim.ready["credentials"]["users"]}
    return PageDriver(qtbot, view, base_url, ("alice", users["alice"]))


@pytest.fixture
def sheet(qtbot: QtBot, page_sim: RunningSim) -> PageDriver:
    """The Cloud sim's /single/ page in a fresh, cookie-less view."""
    return _driver(qtbot, page_sim, page_sim.url)


@pytest.fixture
def tls_sheet(qtbot: QtBot, tls_page_sim: RunningSim) -> PageDriver:
    """The HTTPS sim's /single/ page; the view accepts the sim's self-made certificate for
    the sim's own origin only (a real user would install the generated CA)."""
    driver = _driver(qtbot, tls_page_sim, tls_page_sim.url)
    origin = QUrl(tls_page_sim.url)

    def on_certificate_error(error: QWebEngineCertificateError) -> None:
        url = error.url()
        if (url.host(), url.port()) == (origin.host(), origin.port()):
            error.acceptCertificate()
        else:
            error.rejectCertificate()

    driver.view.page().certificateError.connect(on_certificate_error)
    return driver


@pytest.fixture
def qseow_sheet(qtbot: QtBot, qseow_page_sim: RunningSim) -> PageDriver:
    """The client-managed sim's /<prefix>/single/ page in a fresh, cookie-less view."""
    prefix = qseow_page_sim.tenant.options.prefix
    return _driver(qtbot, qseow_page_sim, f"{qseow_page_sim.url}/{prefix}")
