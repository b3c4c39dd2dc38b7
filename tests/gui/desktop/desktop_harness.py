"""The analyst's window under test: a running `Application` and how a test waits on it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from viewer.application import Application
from viewer.desktop.analyst_window import AnalystWindow


class RunningWindow:
    """An `Application` running on the qasync loop; `stop()` runs its ordered shutdown."""

    def __init__(self, app: Application, task: asyncio.Task[int], qtbot: QtBot) -> None:
        self.app = app
        self.task = task
        self.qtbot = qtbot

    @property
    def desktop(self) -> AnalystWindow:
        """The application's tabbed window (every window started here has one)."""
        assert self.app.desktop is not None
        return self.app.desktop

    def wait_live(self, count: int, timeout_ms: int = 30_000) -> None:
        """Wait until `count` sheets are open and all of them are LIVE."""
        from viewer.core.state import Phase

        self.qtbot.waitUntil(
            lambda: (
                len(self.app.sheets) == count
                and all(sheet.phase is Phase.LIVE for sheet in self.app.sheets)
            ),
            timeout=timeout_ms,
        )

    def stop(self) -> int:
        self.app.request_quit()
        self.qtbot.waitUntil(self.task.done, timeout=20_000)
        return self.task.result()


WindowFactory = Callable[..., RunningWindow]


ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def save_artifact(widget: QWidget, name: str) -> Path:
    """A picture of `widget` as it is now, in test-artifacts/ (screenshots for the reviewers)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    assert widget.grab().save(str(path)), path
    return path
