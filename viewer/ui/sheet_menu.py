"""What a desktop user can do with the sheet view itself, instead of Chromium's browser menu: a
context menu with only Reload sheet, Copy and Print…, and F5 / Ctrl+R to reload the sheet. No
history navigation (Back, Forward, View source) is ever offered: the view shows the sheet or
nothing. Reloading is only asked for (`reload_requested`); the application decides how."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QMenu, QWidget

from viewer.log import emit, get_logger

_log = get_logger("ui")

RELOAD_KEYS = (QKeySequence(Qt.Key.Key_F5), QKeySequence("Ctrl+R"))


class SheetActions(QObject):
    """The sheet view's own menu and reload keys, installed on `view` inside `window`."""

    reload_requested = Signal()

    def __init__(
        self, view: QWidget, window: QWidget, *, context_menu: bool = True, keys: bool = True
    ) -> None:
        """`keys`: install F5 / Ctrl+R on `window` (False where a menu bar's Reload has them:
        two owners of one key make Qt fire neither)."""
        super().__init__(window)
        self._view = view
        self._printer: object | None = None
        self.reload_action = QAction(self.tr("Reload sheet"), self)
        self.reload_action.setShortcuts(list(RELOAD_KEYS))
        self.reload_action.triggered.connect(self._on_reload_triggered)
        self.copy_action = QAction(self.tr("Copy"), self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.triggered.connect(self._on_copy_triggered)
        self.print_action = QAction(self.tr("Print…"), self)
        self.print_action.triggered.connect(self._on_print_triggered)
        self.shortcuts = [self._reload_shortcut(k, window) for k in RELOAD_KEYS] if keys else []
        if context_menu:
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        else:
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

    def _reload_shortcut(self, keys: QKeySequence, window: QWidget) -> QShortcut:
        shortcut = QShortcut(keys, window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self._on_reload_triggered)
        return shortcut

    def menu(self) -> QMenu:
        """The context menu: Reload sheet, Copy, Print… — nothing else."""
        menu = QMenu(self._view)
        menu.addAction(self.reload_action)
        menu.addSeparator()
        menu.addAction(self.copy_action)
        menu.addAction(self.print_action)
        page = self._page()
        self.copy_action.setEnabled(page is not None and page.hasSelection())
        return menu

    def _page(self) -> QWebEnginePage | None:
        return self._view.page() if isinstance(self._view, QWebEngineView) else None

    def _on_view_context_menu_requested(self, position: QPoint) -> None:
        menu = self.menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        emit(_log, "ui.context_menu",
             actions=[a.text() for a in menu.actions() if not a.isSeparator()])  # fmt: skip
        menu.popup(self._view.mapToGlobal(position))

    def _on_reload_triggered(self) -> None:
        emit(_log, "ui.reload_requested")
        self.reload_requested.emit()

    def _on_copy_triggered(self) -> None:
        page = self._page()
        if page is not None:
            page.triggerAction(QWebEnginePage.WebAction.Copy)

    def _on_print_triggered(self) -> None:
        """The system's print dialog, then the sheet as it is on screen."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if not isinstance(self._view, QWebEngineView):
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self._view.window())
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        emit(_log, "ui.print")
        self._printer = printer  # printing runs on after print() returns
        self._view.printFinished.connect(self._on_view_print_finished)
        self._view.print(printer)

    def _on_view_print_finished(self, _ok: bool) -> None:
        if isinstance(self._view, QWebEngineView):
            self._view.printFinished.disconnect(self._on_view_print_finished)
        self._printer = None
