"""The "Connect to Qlik" dialog of a first run: one address field; Connect finds the kind of
deployment there (viewer.desktop.first_run), writes the user's profile with interactive sign-in
and closes accepted. What goes wrong is a sentence under the field, and the user can correct it.
The dialog only asks and shows; the detection and the profile are the first-run module's."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.config.errors import ConfigError
from viewer.config.loading import Profile
from viewer.desktop.first_run import DetectedTenant, FirstRunError
from viewer.log import emit, get_logger

_log = get_logger("firstrun")

Detect = Callable[[str], Awaitable[DetectedTenant]]
Write = Callable[[DetectedTenant], Profile]

KIND_NAMES = {"cloud": "Qlik Cloud", "qseow": "client-managed Qlik Sense"}


class ConnectDialog(QDialog):
    """Asks for the tenant's address; `profile_written` carries the profile once it is kept."""

    profile_written = Signal(object)  # Profile

    def __init__(self, detect: Detect, write: Write, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to Qlik"))
        self._detect = detect
        self._write = write
        self._task: asyncio.Task[None] | None = None
        self.profile: Profile | None = None
        intro = QLabel(
            self.tr(
                "Type the address of your Qlik Cloud tenant or Qlik Sense site. You sign in "
                "next, in the viewer's window."
            )
        )
        intro.setWordWrap(True)
        self.address = QLineEdit()
        self.address.setPlaceholderText("https://acme.eu.qlikcloud.com")
        self.address.setAccessibleName(self.tr("Tenant address"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("firstrun-message")
        buttons = QDialogButtonBox()
        self.connect_button = QPushButton(self.tr("Connect"))
        self.connect_button.setDefault(True)
        buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.start_connect)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.address)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def start_connect(self) -> None:
        """Connect (the button or Enter): detect and write, on the running loop."""
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.get_running_loop().create_task(self._connect(self.address.text()))

    async def _connect(self, text: str) -> None:
        self.connect_button.setEnabled(False)
        self.address.setEnabled(False)
        self.show_message(self.tr("Looking for Qlik at that address…"))
        try:
            tenant = await self._detect(text)
            profile = self._write(tenant)
        except FirstRunError as error:
            self.show_message(str(error))
        except ConfigError as error:
            self.show_message(self.tr("The profile could not be written:\n") + error.render())
        except OSError as error:
            self.show_message(self.tr("The profile could not be written: ") + str(error))
        else:
            emit(
                _log,
                "firstrun.profile_written",
                profile=profile.name,
                kind=tenant.kind,
                mode=tenant.auth_mode,
            )
            self.show_message(self.tr("Found {0}. Starting…").format(KIND_NAMES[tenant.kind]))
            self.profile = profile
            self.profile_written.emit(profile)
            self.accept()
            return
        finally:
            self.connect_button.setEnabled(True)
            self.address.setEnabled(True)
        self.address.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None:
            self._task.cancel()
        super().closeEvent(event)
