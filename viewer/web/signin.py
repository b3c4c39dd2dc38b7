"""Interactive sign-in (`cloud-interactive`, `qseow-interactive`): show the site's login on a
page of the sheet's profile (the sign-in window's), and each time it lands back on the tenant,
try to turn the cookies the site set into the grant (the site confirms them: users/me or
qps/user answers 200)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWebEngineCore import QWebEnginePage

from viewer.auth.errors import AuthError, SessionExpired
from viewer.auth.session import AuthSession
from viewer.log import emit, get_logger
from viewer.web.cookies import CookieBridge
from viewer.web.policy import origin_of

_log = get_logger("web")


class InteractiveSignIn(QObject):
    """Drives one interactive sign-in; emits `signed_in(SessionGrant)` once, or `failed(str)`
    with a user-facing message when the site answers with an error."""

    signed_in = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        auth: AuthSession,
        page: QWebEnginePage,
        cookies: CookieBridge,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._auth = auth
        self._page = page
        self._cookies = cookies
        self._tenant_origin = origin_of(auth.strategy.tenant.base_url)
        self._attempt: asyncio.Task[None] | None = None
        self._done = False
        self._retry = False

    def start(self, login_url: str) -> None:
        """Load the login page; the rest follows from the page's loads."""
        self._page.loadFinished.connect(self._on_page_load_finished)
        self._cookies.changed.connect(self._on_cookies_changed)
        emit(_log, "web.sign_in_started", mode=self._auth.strategy.mode)
        self._page.load(QUrl(login_url))

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
