"""The analyst window's menu bar and shortcuts (platform conventions through QKeySequence's
standard keys where Qt has one). Each action calls a command of `WindowCommands`; the menus
themselves decide nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class Command:
    """One menu entry: its text, its keys and what it runs."""

    name: str
    text: str
    run: Callable[[], object]
    keys: tuple[QKeySequence, ...] = ()


def keys(*sequences: StandardKey | str) -> tuple[QKeySequence, ...]:
    """Key sequences from standard keys (all their platform bindings) and literal ones."""
    found: list[QKeySequence] = []
    for sequence in sequences:
        if isinstance(sequence, str):
            found.append(QKeySequence(sequence))
        else:
            found += QKeySequence.keyBindings(sequence)
    return tuple(found)


def install_menus(
    window: QMainWindow, menus: list[tuple[str, list[Command | None]]]
) -> dict[str, QAction]:
    """Build `menus` (title, entries; None is a separator) on `window`'s menu bar; the actions
    by command name. Shortcuts work while the window (or any of its children) has focus."""
    actions: dict[str, QAction] = {}
    bar = window.menuBar()
    for title, entries in menus:
        menu: QMenu = bar.addMenu(title)
        for entry in entries:
            if entry is None:
                menu.addSeparator()
                continue
            action = QAction(entry.text, window)
            action.setObjectName(entry.name)
            if entry.keys:
                action.setShortcuts(list(entry.keys))
            run = entry.run
            action.triggered.connect(lambda _checked=False, run=run: run())
            menu.addAction(action)
            actions[entry.name] = action
    return actions
