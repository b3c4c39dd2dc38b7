"""The desktop's status indicator: the viewer's state (a dot in the state's colour, as on the
tabs) and the engine's round-trip latency."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from viewer.core.state import Phase

PHASE_COLOURS = {
    Phase.LIVE: "#2e9e44",
    Phase.CONNECTING: "#d19a00",
    Phase.SUSPENDED: "#d19a00",
    Phase.OFFLINE: "#c0392b",
    Phase.AUTH_REQUIRED: "#c0392b",
    Phase.CLOSED: "#7f8c8d",
}
"""The colour of a state's dot: green live, amber on the way, red needs something, grey
closed."""


class StatusIndicator(QLabel):
    """ "● Live · 42 ms" in the status bar; latency is shown only while LIVE."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.plain_text = ""
        self._phase = Phase.CONNECTING
        self._latency_ms: float | None = None
        self._refresh()

    @property
    def phase(self) -> Phase:
        return self._phase

    def show_phase(self, phase: Phase) -> None:
        self._phase = phase
        self._refresh()

    def show_latency(self, latency_ms: float | None) -> None:
        """The engine's last round-trip time in milliseconds (None: unknown)."""
        self._latency_ms = latency_ms
        self._refresh()

    def _phase_name(self) -> str:
        names = {
            Phase.CONNECTING: self.tr("Connecting"),
            Phase.LIVE: self.tr("Live"),
            Phase.SUSPENDED: self.tr("Reconnecting"),
            Phase.OFFLINE: self.tr("Offline"),
            Phase.AUTH_REQUIRED: self.tr("Sign-in required"),
            Phase.CLOSED: self.tr("Closed"),
        }
        return names[self._phase]

    def _refresh(self) -> None:
        text = self._phase_name()
        if self._phase is Phase.LIVE and self._latency_ms is not None:
            text += " · " + self.tr("{ms} ms").format(ms=round(self._latency_ms))
        self.plain_text = f"● {text}"
        dot = f'<span style="color:{PHASE_COLOURS[self._phase]}">●</span>'
        self.setText(f"{dot} {escape(text)}")
