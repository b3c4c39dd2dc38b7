"""How the rotation's frame hold judges pictures (viewer.ui.frame_hold): a sparse sheet (one bar
chart and a number on white, as the sim's "Products" sheet) is not blank, a page's empty start
(a title and "Loading…" on white) is; the old document's last frame is the still it held."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPainter

from viewer.ui.frame_hold import _sample, is_blank, same_picture

SIZE = (1280, 800)


def page(*boxes: tuple[int, int, int, int, str]) -> QImage:
    """A white page with filled boxes (x, y, width, height, colour)."""
    image = QImage(*SIZE, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    for x, y, width, height, colour in boxes:
        painter.fillRect(x, y, width, height, QColor(colour))
    painter.end()
    return image


def test_an_empty_start_is_blank_and_a_sparse_sheet_is_not() -> None:
    loading = page((16, 12, 90, 14, "#333333"), (16, 60, 70, 10, "#888888"))  # ~0.2 % ink
    sparse = page((60, 90, 40, 420, "#4477aa"), (900, 250, 30, 60, "#333333"))  # ~1.8 % ink
    assert is_blank(loading)
    assert not is_blank(sparse)


def test_the_old_documents_frame_is_the_still_and_the_next_sheet_is_not() -> None:
    still = page((60, 90, 60, 420, "#4477aa"))
    next_sheet = page((60, 300, 500, 200, "#2e7d6b"), (700, 90, 400, 300, "#f0a030"))
    assert same_picture(_sample(still), _sample(still.copy()))
    assert not same_picture(_sample(still), _sample(next_sheet))
