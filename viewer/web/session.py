"""`WebSession`: a `WebContext` with the one page that shows its sheet — the single-page shape
(the sign-in window and the web tests use it); the viewer's sheets take pages from the context."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl

from viewer.web.context import WebContext
from viewer.web.page import UrlOpener, ViewerPage
from viewer.web.policy import NavigationPolicy
from viewer.web.profile import ProfileSettings


class WebSession(WebContext):
    """Owns one profile and the page showing the sheet.

    Call `apply_grant(grant)` and wait for `cookies.applied` before `load(url)`: then the very
    first request of the view already carries the session.
    """

    def __init__(
        self,
        settings: ProfileSettings,
        policy: NavigationPolicy,
        base_url: str,
        *,
        open_externally: UrlOpener | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(settings, policy, base_url, open_externally=open_externally, parent=parent)
        self.page: ViewerPage | None = self.new_page()

    def load(self, url: str) -> None:
        """Load `url` in the page (after its renderer warm-up, if one is under way)."""
        if self.page is not None:
            self.page.open(QUrl(url))

    def close(self) -> None:
        """Schedule the page's deletion, then this object's (and so the profile's): deferred
        deletions run in order, so the page goes before its profile."""
        if self.page is not None:
            self.page.deleteLater()
            self.page = None
        super().close()
