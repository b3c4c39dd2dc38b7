"""Holds the last picture of a sheet on screen while the next sheet of a rotation loads.

Loading a sheet's page shows the new document's empty start for a few hundred milliseconds
before its charts are drawn (measured by tests/bench/rotation_frames.py: a blank page on every
rotation, up to 219 ms). `hold()` covers the view with a still picture of what it shows now;
the cover goes when the new page has loaded and its picture has stopped changing and is not
blank, or after `max_hold_s` in any case. Nothing is preloaded: the view stays shown (a hidden
or occluded Qt 6 web view does not paint, which is why preloading in a hidden view flashes old
pictures), and only a child label lies on top of it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QLabel, QWidget

from viewer.log import emit, get_logger

_log = get_logger("app")
POLL_MS = 40
MAX_HOLD_S = 3.0
SAMPLE = (48, 30)  # the picture is compared this small: stable layout, not antialiasing
BLANK_SHARE = 0.97  # one colour over this share of the picture: an empty page


def is_blank(image: QImage) -> bool:
    """True when one colour covers nearly all of `image` (an empty page)."""
    small = image.scaled(*SAMPLE)
    colours = Counter(
        small.pixel(x, y) for y in range(small.height()) for x in range(small.width())
    )
    return colours.most_common(1)[0][1] >= BLANK_SHARE * small.width() * small.height()


class FrameHold(QObject):
    """A still picture over `view` from `hold()` until the next page has drawn itself."""

    def __init__(
        self,
        view: QWebEngineView,
        *,
        max_hold_s: float = MAX_HOLD_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.max_hold_s = max_hold_s
        self.clock = clock
        self._cover = QLabel(view)
        self._cover.setObjectName("frameHold")
        self._cover.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self._cover.hide()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._since = 0.0
        self._loaded = False
        self._last: bytes | None = None
        view.loadFinished.connect(self._on_view_load_finished)

    @property
    def holding(self) -> bool:
        return self._timer.isActive()

    def hold(self) -> None:
        """Cover the view with what it shows now (call just before the next page loads)."""
        picture = self.view.grab()
        self._cover.setPixmap(picture)
        self._cover.setGeometry(self.view.rect())
        self._cover.show()
        self._cover.raise_()
        self._since = self.clock()
        self._loaded = False
        self._last = None
        self._timer.start()

    def _content(self) -> QWidget | None:
        """The widget the page draws into (the view's focus proxy), without our cover."""
        return self.view.focusProxy()

    def _on_view_load_finished(self, _ok: bool) -> None:
        self._loaded = True

    def _on_timer_timeout(self) -> None:
        held = self.clock() - self._since
        if held >= self.max_hold_s:
            self._release("timeout", held)
            return
        content = self._content()
        if not self._loaded or content is None:
            return
        image = content.grab().toImage().scaled(*SAMPLE)
        signature = bytes(image.constBits())
        if signature == self._last and not is_blank(image):
            self._release("settled", held)
        self._last = signature

    def _release(self, reason: str, held: float) -> None:
        self._timer.stop()
        self._cover.hide()
        self._cover.clear()
        emit(_log, "sheet.frame_released", reason=reason, held_ms=round(held * 1000))
