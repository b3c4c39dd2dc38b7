"""Shared setup of the tiers that run QtWebEngine in the test process (gui, robustness):
offscreen Qt, QtWebEngine as root, and one qasync loop. Their conftest imports the fixtures.

Per reference/qt-notes.md the qasync loop runs exactly once per process and is never stopped:
tests schedule coroutines on it with `run_async` and wait for them with qtbot, never by
starting or stopping the loop themselves.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    # Chromium refuses to run as root with its sandbox on; only tests and CI run as root.
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"

# QtWebEngineWidgets must be imported before the QApplication exists.
import PySide6.QtWebEngineWidgets  # noqa: F401
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

T = TypeVar("T")

AsyncRunner = Callable[[Coroutine[Any, Any, T], float], T]


@pytest.fixture(scope="session")
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """The process-wide qasync loop, created once and never stopped or closed.

    It gets a plain thread pool for `to_thread` / `getaddrinfo`: qasync's own default executor
    runs QThreads that nothing stops (the loop is never closed), and Qt aborts a process that
    exits while a QThread runs (exit status 134). The pool is shut down at the session's end.
    """
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="gui-blocking") as executor:
        loop.set_default_executor(executor)
        yield loop


@pytest.fixture
def run_async(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot
) -> Callable[[Coroutine[Any, Any, Any], float], Any]:
    """Run a coroutine on the qasync loop while Qt keeps processing events; return its result."""

    def run(coro: Coroutine[Any, Any, Any], timeout: float = 20.0) -> Any:
        task = qloop.create_task(coro)
        qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
        return task.result()

    return run
