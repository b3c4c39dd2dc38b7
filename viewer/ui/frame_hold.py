"""Holds the last picture of a sheet on screen while the next sheet of a rotation loads.

Loading a sheet's page shows the new document's empty start for a few hundred milliseconds
before its charts are drawn (measured by tests/bench/rotation_frames.py: a blank page on every
rotation, up to 219 ms). `hold()` covers the view with a still picture of what it shows now;
the cover goes when the new page has loaded and its own picture (the page's render widget,
under the cover) is the new sheet: not blank, no longer the picture held (Chromium keeps
painting the old document until the new one's first frame, which the old rule took for a
settled new page: one leak of 1.3 s blank in 98 rotations), and unchanged over `SETTLED_POLLS`
polls; or after `max_hold_s` in any case. A still that would itself be blank (the grab of the
view came back empty: another leak) is replaced by the last settled picture of the sheet.
`sheet.frame_held` {source, blank} and `sheet.frame_released` {reason, held_ms} say what
happened.

Nothing is preloaded: the view stays shown (a hidden or occluded Qt 6 web view does not paint,
which is why preloading in a hidden view flashes old pictures), and only a child label lies on
top of it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QLabel, QWidget

from viewer.log import emit, get_logger

_log = get_logger("app")
POLL_MS = 40
MAX_HOLD_S = 3.0
SAMPLE = (48, 30)  # the picture is compared this small: stable layout, not antialiasing
# One colour over this share of the picture: an empty page. The sim's page before its charts
# are drawn measured 0.999-1.0 (a title and "Loading…" on white), its sparsest sheet (one bar
# chart and a number) 0.977: at 0.97 that sheet counted as blank and its hold never ended (31
# of 98 rotations showed the previous sheet's still until the next rotation).
BLANK_SHARE = 0.99
SAME = 2.0  # mean difference per channel (0-255) below which two samples show one picture
SETTLED_POLLS = 2  # this many polls in a row with the same picture: it has stopped changing


def is_blank(image: QImage) -> bool:
    """True when one colour covers nearly all of `image` (an empty page)."""
    small = image.scaled(*SAMPLE)
    colours = Counter(
        small.pixel(x, y) for y in range(small.height()) for x in range(small.width())
    )
    return colours.most_common(1)[0][1] >= BLANK_SHARE * small.width() * small.height()


def _sample(image: QImage) -> bytes:
    """`image` scaled to SAMPLE, as RGB bytes (rows unpadded)."""
    small = image.scaled(*SAMPLE).convertToFormat(QImage.Format.Format_RGB888)
    width = small.width() * 3
    bits = bytes(small.constBits())
    stride = small.bytesPerLine()
    return b"".join(bits[row * stride : row * stride + width] for row in range(small.height()))


def same_picture(a: bytes, b: bytes) -> bool:
    """True when two samples show the same picture (up to antialiasing and scaling)."""
    if len(a) != len(b):
        return False
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) < SAME * len(a)


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
        self._held: bytes = b""  # the sample of the still on screen
        self._last: bytes | None = None
        self._steady = 0  # polls in a row that saw `_last`
        self._settled: QImage | None = None  # the sheet's last picture that passed the test
        view.loadFinished.connect(self._on_view_load_finished)

    @property
    def holding(self) -> bool:
        return self._timer.isActive()

    def hold(self) -> None:
        """Cover the view with what it shows now (call just before the next page loads)."""
        picture = self.view.grab()
        still = picture.toImage()
        source = "view"
        if is_blank(still) and self._settled is not None:
            still, source = self._settled, "settled"
            picture = QPixmap.fromImage(still)
        self._cover.setPixmap(picture)
        self._cover.setGeometry(self.view.rect())
        self._cover.show()
        self._cover.raise_()
        self._since = self.clock()
        self._loaded = False
        self._held = _sample(still)
        self._last = None
        self._steady = 0
        self._timer.start()
        emit(_log, "sheet.frame_held", source=source, blank=is_blank(still))

    def _content(self) -> QWidget | None:
        """The widget the page draws into (the view's focus proxy), without our cover."""
        return self.view.focusProxy()

    def _on_view_load_finished(self, _ok: bool) -> None:
        self._loaded = True
        if not self.holding:
            self._settled = None  # a page loaded without a hold (idle reset, recovery): not ours

    def _on_timer_timeout(self) -> None:
        held = self.clock() - self._since
        if held >= self.max_hold_s:
            self._release("timeout", held)
            return
        content = self._content()
        if not self._loaded or content is None:
            return
        image = content.grab().toImage()
        signature = _sample(image)
        if self._last is not None and same_picture(signature, self._last):
            self._steady += 1
        else:
            self._steady = 0
        self._last = signature
        if self._steady + 1 < SETTLED_POLLS or same_picture(signature, self._held):
            return  # still changing, or still the old document's last frame
        if not is_blank(image):
            self._settled = image
            self._release("settled", held)

    def _release(self, reason: str, held: float) -> None:
        self._timer.stop()
        self._cover.hide()
        self._cover.clear()
        emit(_log, "sheet.frame_released", reason=reason, held_ms=round(held * 1000))
