"""`WebContext`: the web side of one signed-in profile — the QtWebEngine profile, the header
interceptor and the cookie bridge — shared by every sheet page of that profile, built in the
order QtWebEngine needs; each sheet gets its own `ViewerPage` from `new_page()`."""

from __future__ import annotations

from PySide6.QtCore import QObject

from viewer.core.grant import SessionGrant
from viewer.web.cookies import CookieBridge
from viewer.web.interceptor import GrantHeaderInterceptor
from viewer.web.page import UrlOpener, ViewerPage
from viewer.web.policy import NavigationPolicy
from viewer.web.profile import ProfileSettings, create_profile


class WebContext(QObject):
    """One profile's web state. Apply a grant before the first load of any page: then the very
    first request of every view already carries the session. Pages must be deleted before the
    context (`close()` defers its own deletion after theirs)."""

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
        self.policy = policy
        self._open_externally = open_externally
        self.profile = create_profile(settings, self)
        self.interceptor = GrantHeaderInterceptor(policy, self)
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.cookies = CookieBridge(self.profile, base_url, self)

    def new_page(self) -> ViewerPage:
        """A sheet page on this profile, with the viewer's navigation rules."""
        return ViewerPage(self.profile, self.policy, open_externally=self._open_externally)

    def apply_grant(self, grant: SessionGrant) -> None:
        """Put the grant's cookies in the store and its headers in the interceptor."""
        self.interceptor.set_headers(grant.headers)
        self.cookies.apply(grant)

    def forget_grant(self, grant: SessionGrant) -> None:
        """After sign-out: the grant's cookies leave the profile (and its disk) and its headers
        the interceptor, so nothing of a dead session is sent or kept."""
        self.interceptor.set_headers({})
        self.cookies.remove(grant.cookies)

    def close(self) -> None:
        """Schedule this object's (and so the profile's) deletion: deferred deletions run in
        order, so pages deleted before this call go before their profile."""
        self.deleteLater()
