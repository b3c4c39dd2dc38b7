"""`SheetPane`: the view of one sheet and the cover shown in its place, in a stack, so the view
is hidden — not merely covered — the moment a directive says so. Shells host panes: the kiosk
one, the analyst's window one per tab."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from viewer.log import emit, get_logger

_log = get_logger("ui")


class SheetPane(QStackedWidget):
    """Shows either `view` or `cover`, never both; `tab` names the sheet in the log (None while
    the window can hold only one sheet)."""

    def __init__(self, view: QWidget, cover: QWidget, *, tab: str | None = None) -> None:
        super().__init__()
        self.view = view
        self.cover = cover
        self.tab = tab
        self.addWidget(cover)
        self.addWidget(view)
        self.setCurrentWidget(cover)
        self._view_visible = False

    @property
    def view_visible(self) -> bool:
        """What the last directive asked for (True only while LIVE)."""
        return self._view_visible

    def set_view_visible(self, visible: bool) -> None:
        """Show the view, or hide it synchronously and show the cover in its place."""
        if visible:
            self.setCurrentWidget(self.view)
        else:
            self.setCurrentWidget(self.cover)
            self.view.hide()  # the stack does this too; never leave it to a later paint
        if visible != self._view_visible:
            self._view_visible = visible
            if self.tab is None:
                emit(_log, "view.visible", visible=visible)
            else:
                emit(_log, "view.visible", visible=visible, tab=self.tab)
