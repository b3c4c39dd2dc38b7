"""Interactive sign-in (`cloud-interactive`, `qseow-interactive`): show the site's login on a
page of the sheet's profile (the sign-in window's), and each time it lands back on the tenant,
try to turn the cookies the site set into the grant (the site confirms them: users/me or
qps/user answers 200).

Users type passwords there, so the page has a policy (`SignInPage`): it shows and frames only
the tenant and the identity provider's origins (`auth.idp_origins`), opens no pop-up windows,
and answers every permission prompt with a denial."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEnginePermission, QWebEngineProfile

from viewer.auth.errors import AuthError, SessionExpired
from viewer.auth.interactive import Interactive
from viewer.auth.session import AuthSession
from viewer.log import emit, get_logger
from viewer.web.cookies import CookieBridge
from viewer.web.policy import NavigationPolicy, NavigationVerdict, origin_of, url_for_log

_log = get_logger("web")


class SignInPage(QWebEnginePage):
    """The sign-in window's page: navigations and frames limited to `policy` (nothing but
    `about:` documents until it is set), no pop-ups, every permission denied. `refused(url)`
    tells each navigation or pop-up it turned away."""

    refused = Signal(QUrl)

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.policy: NavigationPolicy | None = None
        self.permissionRequested.connect(self._on_page_permission_requested)

    def acceptNavigationRequest(
        self, url: QUrl | str, navigation_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        text = QUrl(url).toString()
        allowed = (
            self.policy.verdict(text, main_frame=is_main_frame, link_clicked=False)
            is NavigationVerdict.ALLOW
            if self.policy is not None
            else text.startswith("about:")
        )
        if not allowed:
            emit(_log, "signin.navigation_blocked", url=url_for_log(text), origin=origin_of(text),
                 frame="main" if is_main_frame else "sub",
                 hint="if this is your identity provider, add its origin to auth.idp_origins")  # fmt: skip
            self.refused.emit(QUrl(text))
        return allowed

    def createWindow(  # type: ignore[override]  # None: no window is made
        self, _type: QWebEnginePage.WebWindowType
    ) -> QWebEnginePage | None:
        emit(_log, "signin.popup_blocked")
        self.refused.emit(QUrl())
        return None

    def _on_page_permission_requested(self, permission: QWebEnginePermission) -> None:
        emit(_log, "signin.permission_denied", kind=permission.permissionType().name,
             origin=origin_of(permission.origin().toString()))  # fmt: skip
        permission.deny()


class InteractiveSignIn(QObject):
    """Drives one interactive sign-in; emits `signed_in(SessionGrant)` once, or `failed(str)`
    with a user-facing message when the site answers with an error."""

    signed_in = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        auth: AuthSession,
        page: SignInPage,
        cookies: CookieBridge,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._auth = auth
        self._page = page
        self._cookies = cookies
        self._tenant_origin = origin_of(auth.strategy.tenant.base_url)
        strategy = auth.strategy
        idp = strategy.sign_in_origins if isinstance(strategy, Interactive) else ()
        page.policy = NavigationPolicy.for_tenant(strategy.tenant.base_url, idp, desktop=False)
        self._attempt: asyncio.Task[None] | None = None
        self._done = False
        self._retry = False

    def start(self, login_url: str) -> None:
        """Load the login page; the rest follows from the page's loads."""
        self._page.loadFinished.connect(self._on_page_load_finished)
        self._cookies.changed.connect(self._on_cookies_changed)
        emit(_log, "web.sign_in_started", mode=self._auth.strategy.mode)
        self._page.load(QUrl(login_url))

    def stop(self) -> None:
        """Stop following the page (the window is closing): a check under way is cancelled, so
        nothing is reported after this."""
        self._done = True
        if self._attempt is not None:
            self._attempt.cancel()

    def _on_page_load_finished(self, _ok: bool) -> None:
        self._maybe_adopt()

    def _on_cookies_changed(self) -> None:
        self._maybe_adopt()

    def _maybe_adopt(self) -> None:
        if self._done:
            return
        if origin_of(self._page.url().toString()) != self._tenant_origin:
            return
        if self._attempt is None or self._attempt.done():
            self._attempt = asyncio.ensure_future(self._try_adopt())
        else:
            self._retry = True  # cookies changed while the site was being asked

    async def _try_adopt(self) -> None:
        try:
            grant = await self._auth.adopt_cookies(self._cookies.tenant_cookies())
        except SessionExpired:
            if self._retry:
                self._retry = False
                self._attempt = asyncio.ensure_future(self._try_adopt())
            return  # else still on the login pages
        except AuthError as error:
            self.failed.emit(str(error))
            return
        self._done = True
        self.signed_in.emit(grant)
