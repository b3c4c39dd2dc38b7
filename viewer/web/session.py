"""`WebSession`: the web side of one signed-in profile — profile, header interceptor, cookie
bridge and page — built in the order QtWebEngine needs, with the grant applied before the first
load and the page deleted before its profile."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl

from viewer.core.grant import SessionGrant
from viewer.web.cookies import CookieBridge
from viewer.web.interceptor import GrantHeaderInterceptor
from viewer.web.page import UrlOpener, ViewerPage
from viewer.web.policy import NavigationPolicy
from viewer.web.profile import ProfileSettings, create_profile


class WebSession(QObject):
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
        super().__init__(parent)
        self.profile = create_profile(settings, self)
        self.interceptor = GrantHeaderInterceptor(policy, self)
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.cookies = CookieBridge(self.profile, base_url, self)
        self.page: ViewerPage | None = ViewerPage(
            self.profile, policy, open_externally=open_externally
        )

    def apply_grant(self, grant: SessionGrant) -> None:
        """Put the grant's cookies in the store and its headers in the interceptor."""
        self.interceptor.set_headers(grant.headers)
        self.cookies.apply(grant)

    def forget_grant(self, grant: SessionGrant) -> None:
        """After sign-out: the grant's cookies leave the profile (and its disk) and its headers
        the interceptor, so nothing of a dead session is sent or kept."""
        self.interceptor.set_headers({})
        self.cookies.remove(grant.cookies)

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
        self.deleteLater()
