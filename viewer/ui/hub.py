"""The hub: a native window listing the tenant's apps (name, space/stream, owner, last reload),
filtered as the user types, and the chosen app's sheets (title, description). Keyboard first:
type to search, Enter (or a double click) on an app lists its sheets, Enter on a sheet opens it.

Widgets only: it shows what it is given and reports the user's choices as signals
(`app_chosen(app_id)`, `sheet_chosen(app_id, sheet_id)`); the catalogue is read elsewhere.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.desktop.catalog import AppEntry, SheetEntry

APP_ID_ROLE = Qt.ItemDataRole.UserRole


def reload_text(last_reload: str) -> str:
    """An ISO 8601 reload time as "2026-01-15 06:00" ("" stays "")."""
    return last_reload[:16].replace("T", " ") if last_reload else ""


class HubWindow(QDialog):
    """Apps on the left, the chosen app's sheets on the right, a search field above."""

    app_chosen = Signal(str)
    sheet_chosen = Signal(str, str)

    def __init__(self, product_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Apps — {product}").format(product=product_name))
        self.setObjectName("hub")
        self.resize(960, 560)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search apps"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.apps = QTreeWidget()
        self.apps.setRootIsDecorated(False)
        self.apps.setHeaderLabels(
            [self.tr("App"), self.tr("Space / stream"), self.tr("Owner"), self.tr("Last reload")]
        )
        header = self.apps.header()
        header.setStretchLastSection(False)  # the name takes the room left, not the reload time
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):  # their headings and values whole, in any language
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.apps.setSortingEnabled(True)
        self.apps.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.apps.itemActivated.connect(self._on_app_activated)
        self.sheets = QListWidget()
        self.sheets.setWordWrap(True)
        self.sheets.itemActivated.connect(self._on_sheet_activated)
        self.message = QLabel(self.tr("Loading the apps…"))
        self.message.setObjectName("hub-message")
        split = QSplitter()
        split.addWidget(self.apps)
        split.addWidget(self.sheets)
        split.setSizes([620, 340])
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self._entries: dict[str, AppEntry] = {}
        self._sheets_of: str | None = None

    # ---- what it shows -----------------------------------------------------------------------

    def show_apps(self, entries: list[AppEntry]) -> None:
        self._entries = {entry.id: entry for entry in entries}
        self.apps.clear()
        for entry in entries:
            item = QTreeWidgetItem(
                [entry.name, entry.space, entry.owner, reload_text(entry.last_reload)]
            )
            item.setData(0, APP_ID_ROLE, entry.id)
            item.setToolTip(0, entry.description or entry.name)
            self.apps.addTopLevelItem(item)
        self._filter(self.search.text())
        self.message.setText(self.tr("{count} apps").format(count=len(entries)))

    def show_sheets(self, app_id: str, sheets: list[SheetEntry]) -> None:
        self._sheets_of = app_id
        self.sheets.clear()
        for sheet in sheets:
            text = sheet.title if not sheet.description else f"{sheet.title}\n{sheet.description}"
            item = QListWidgetItem(text)
            item.setData(APP_ID_ROLE, sheet.id)
            self.sheets.addItem(item)
        if sheets:
            self.sheets.setCurrentRow(0)
            self.sheets.setFocus()
        name = self._entries[app_id].name if app_id in self._entries else app_id
        self.message.setText(self.tr("{app}: {count} sheets").format(app=name, count=len(sheets)))

    def show_problem(self, text: str) -> None:
        self.message.setText(text)

    def visible_app_ids(self) -> list[str]:
        """The apps the search lets through, top to bottom."""
        return [str(item.data(0, APP_ID_ROLE)) for item in self._app_items() if not item.isHidden()]

    def _app_items(self) -> list[QTreeWidgetItem]:
        items = (self.apps.topLevelItem(i) for i in range(self.apps.topLevelItemCount()))
        return [item for item in items if item is not None]

    def sheet_ids(self) -> list[str]:
        items = (self.sheets.item(i) for i in range(self.sheets.count()))
        return [str(item.data(APP_ID_ROLE)) for item in items]

    # ---- what the user does ------------------------------------------------------------------

    def _filter(self, text: str) -> None:
        first: QTreeWidgetItem | None = None
        for item in self._app_items():
            entry = self._entries.get(str(item.data(0, APP_ID_ROLE)))
            hidden = entry is None or not entry.matches(text)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None:
            self.apps.setCurrentItem(first)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the search field: Enter chooses the selected app, Down moves into the list."""
        pressed = isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
        if watched is self.search and pressed:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                current = self.apps.currentItem()
                if current is not None and not current.isHidden():
                    self._on_app_activated(current, 0)
                return True
            if key == Qt.Key.Key_Down:
                self.apps.setFocus()
                return True
        return super().eventFilter(watched, event)

    def _on_app_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.message.setText(self.tr("Loading the sheets…"))
        self.app_chosen.emit(str(item.data(0, APP_ID_ROLE)))

    def _on_sheet_activated(self, item: QListWidgetItem) -> None:
        if self._sheets_of is not None:
            self.sheet_chosen.emit(self._sheets_of, str(item.data(APP_ID_ROLE)))
