"""The Diagnostics window: the `viewer check` steps (name resolves, TCP, TLS, auth, csrf, engine
socket, OpenDoc, sheet, /single/) in a table — outcome, time, detail and what to do next."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.commands.check_steps import StepResult

OUTCOME_COLOURS = {"pass": "#2e9e44", "fail": "#c0392b", "skip": "#7f8c8d"}


class DiagnosticsWindow(QDialog):
    """Shows one run of the checks; `show_running()` while they run, `show_results()` after."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("diagnostics")
        self.resize(900, 380)
        self.summary = QLabel()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Step"), self.tr("Result"), self.tr("Time"), self.tr("Detail / next step")]
        )
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_running(self) -> None:
        self.table.setRowCount(0)
        self.summary.setText(self.tr("Checking the connection to Qlik…"))

    def show_results(self, results: list[StepResult]) -> None:
        self.table.setRowCount(len(results))
        for row, result in enumerate(results):
            outcome = QTableWidgetItem(result.outcome.upper())
            outcome.setForeground(QColor(OUTCOME_COLOURS.get(result.outcome, "#000000")))
            detail = result.detail + (f" — {result.hint}" if result.hint else "")
            cells = [
                QTableWidgetItem(result.step),
                outcome,
                QTableWidgetItem(f"{result.seconds * 1000:.0f} ms"),
                QTableWidgetItem(detail),
            ]
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        failed = [r.step for r in results if r.outcome == "fail"]
        self.summary.setText(
            self.tr("Every check passed.")
            if not failed
            else self.tr("Failed: {steps}").format(steps=", ".join(failed))
        )
