"""The sign-in window of interactive modes: the tenant's own login page (any identity provider)
in a separate branded window on the sheet's web profile, so the cookies it sets are the sheet's.
The sheet view itself stays hidden while signing in: it is shown only when LIVE."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from viewer.config.models import BrandingConfig
from viewer.web.certificates import trust_configured_cas


class SignInWindow(QWidget):
    """A window showing one login page. It only displays; the app decides when sign-in is done."""

    def __init__(self, profile: QWebEngineProfile, branding: BrandingConfig) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Sign in — {product}").format(product=branding.product_name))
        self.page = QWebEnginePage(profile, self)
        trust_configured_cas(self.page)  # the same CAs as the sheet's view
        self.view = QWebEngineView(self)
        self.view.setPage(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.resize(640, 720)

    def showEvent(self, event: QShowEvent) -> None:
        """Typing goes straight to the page (and its autofocused field)."""
        super().showEvent(event)
        self.activateWindow()
        self.view.setFocus()

    def close(self) -> bool:
        """Close the window and release the page before the profile can go."""
        self.view.setPage(None)  # type: ignore[arg-type]
        self.page.deleteLater()
        return super().close()
