"""The sign-in window of interactive modes: the tenant's own login page (or its identity
provider's) in a separate branded window on the sheet's web profile, so the cookies it sets are
the sheet's. A bar above the page shows the origin being shown (where the password goes), and
says so when it is not encrypted. The sheet view itself stays hidden while signing in: it is
shown only when LIVE."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QShowEvent
from PySide6.QtWebEngineCore import QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from viewer.config.models import BrandingConfig
from viewer.web.certificates import trust_configured_cas
from viewer.web.policy import origin_of
from viewer.web.signin import SignInPage


class SignInWindow(QWidget):
    """A window showing one login page. It only displays; the app decides when sign-in is done."""

    def __init__(self, profile: QWebEngineProfile, branding: BrandingConfig) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Sign in — {product}").format(product=branding.product_name))
        self.page = SignInPage(profile, self)
        trust_configured_cas(self.page)  # the same CAs as the sheet's view
        self.view = QWebEngineView(self)
        self.view.setPage(self.page)
        self.origin_bar = QLabel(self)
        self.origin_bar.setObjectName("signInOrigin")
        self.origin_bar.setContentsMargins(8, 4, 8, 4)
        self.page.urlChanged.connect(self._on_page_url_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.origin_bar)
        layout.addWidget(self.view)
        self.resize(640, 720)

    def _on_page_url_changed(self, url: QUrl) -> None:
        origin = origin_of(url.toString())
        if url.scheme() == "https":
            self.origin_bar.setText(origin)
        elif origin:
            self.origin_bar.setText(self.tr("{origin} — not encrypted").format(origin=origin))
        else:
            self.origin_bar.setText("")

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
