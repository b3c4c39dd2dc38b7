"""The Qt side of the socket watch (viewer.web.socket_watch): the `SocketWatch` object the
viewer's script world reports to over a QWebChannel, and the script that world runs (Qt's own
qwebchannel.js plus the bridge). Kept apart so that the start-up path imports no Qt."""

from __future__ import annotations

import time

import PySide6.QtWebChannel  # noqa: F401  (its library holds the qwebchannel.js resource)
from PySide6.QtCore import QFile, QIODevice, QObject, Signal, Slot

from viewer.web.socket_watch import BRIDGE_BODY, to_report


def bridge_script() -> str:
    """The viewer-world script: Qt's qwebchannel.js (from Qt's resources) plus the bridge."""
    source = QFile(":/qtwebchannel/qwebchannel.js")
    if not source.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("Qt's qwebchannel.js resource is missing (QtWebChannel not installed)")
    try:
        library = bytes(source.readAll().data()).decode("utf-8")
    finally:
        source.close()
    return library + "\n" + BRIDGE_BODY


class SocketWatch(QObject):
    """The QWebChannel object of the viewer's script world: `changed(SocketReport)` per report,
    and `alive_at` (monotonic seconds) the renderer's last heartbeat (the watchdog's probe)."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.alive_at: float | None = None

    @Slot()
    def heartbeat(self) -> None:
        self.alive_at = time.monotonic()

    @Slot(str, str, int)
    def report(self, kind: str, path: str, code: int) -> None:
        report = to_report(kind, path, code)
        if report is not None:
            self.changed.emit(report)
