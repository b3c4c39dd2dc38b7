"""Switch profile: a small window listing the user's profiles; Enter or a double click on one
other than the current emits `chosen(name)`. It only shows and tells; the window is restarted
on the chosen profile by the application."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

NAME_ROLE = Qt.ItemDataRole.UserRole


class ProfilePicker(QDialog):
    """The profiles `names`, the `current` one marked and not choosable."""

    chosen = Signal(str)

    def __init__(self, names: list[str], current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Switch profile"))
        self.profiles = QListWidget()
        for name in names:
            item = QListWidgetItem(name)
            item.setData(NAME_ROLE, name)
            if name == current:
                item.setText(self.tr("{0} (current)").format(name))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.profiles.addItem(item)
        others = [i for i in range(self.profiles.count()) if names[i] != current]
        if others:
            self.profiles.setCurrentRow(others[0])
        note = QLabel(self.tr("The window closes and opens again on the chosen profile."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.choose_current)
        buttons.rejected.connect(self.reject)
        self.profiles.itemActivated.connect(lambda _item: self.choose_current())
        layout = QVBoxLayout(self)
        layout.addWidget(self.profiles)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def choose_current(self) -> None:
        item = self.profiles.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        self.accept()
        self.chosen.emit(str(item.data(NAME_ROLE)))
