"""Session economy: one profile's grant, re-used across restarts and renewed only when the server
asks (401, login redirect, mustAuthenticate, fatal proxy notification) — every extra sign-in on
a client-managed site is one more of the user's five proxy sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeAlias

from viewer.auth.base import AuthStrategy, Flow, run_flow
from viewer.auth.cookies import merge_cookies
from viewer.auth.errors import SessionExpired, SignInRequired
from viewer.auth.http import make_client
from viewer.auth.interactive import Interactive
from viewer.auth.store import GrantStore
from viewer.core.grant import GrantCookie, SessionGrant
from viewer.core.single_flight import SingleFlight
from viewer.log import emit, get_logger

if TYPE_CHECKING:
    import httpx

ClientFactory: TypeAlias = "Callable[[AuthStrategy], httpx.AsyncClient]"
_log = get_logger("auth")


def default_client_factory(strategy: AuthStrategy) -> httpx.AsyncClient:
    """A real client with the strategy's TLS settings (CA bundle, client certificate)."""
    return make_client(tls=strategy.tls)


class AuthSession:
    """The grant of one profile and the only place that decides when to sign in.

    `grant()` re-uses the persisted grant when the server still accepts it (checked with the
    cheap csrf request) and signs in only when it does not; `unchecked()` hands it out without
    the check, for a caller whose own next request is the check. `renew()` is called when the server
    says the session is gone; interactive modes raise `SignInRequired` instead.
    """

    def __init__(
        self,
        strategy: AuthStrategy,
        store: GrantStore | None = None,
        *,
        client_factory: ClientFactory = default_client_factory,
    ) -> None:
        self.strategy = strategy
        self._store = store
        self._client_factory = client_factory
        self._grant: SessionGrant | None = None
        self._granting = SingleFlight(self._grant_now)

    @property
    def current(self) -> SessionGrant | None:
        """The grant in use, if any (no I/O)."""
        return self._grant

    async def _run(self, flow: Flow[SessionGrant]) -> SessionGrant:
        async with self._client_factory(self.strategy) as client:
            return await run_flow(client, flow)

    def _persisted(self) -> SessionGrant | None:
        if self._store is None:
            return None
        tenant = self.strategy.tenant
        grant = self._store.load(base_url=tenant.base_url, identity=tenant.identity)
        if grant is None or not self.strategy.static_headers:
            return grant
        return replace(grant, headers=self.strategy.static_headers)

    def _keep(self, grant: SessionGrant) -> SessionGrant:
        self._grant = grant
        if self._store is not None:
            self._store.save(grant)
        return grant

    def unchecked(self) -> SessionGrant | None:
        """The grant in memory or on disk as it is, without asking the server, when it has the
        csrf token the engine socket needs; else None. For a caller whose next request proves
        the grant anyway: the engine refuses a stale session at its handshake, and the caller
        then asks `grant()`, which checks it (and signs in only if the session is gone)."""
        known = self._grant or self._persisted()
        if known is None or known.csrf_token is None or not (known.cookies or known.headers):
            return None
        self._grant = known
        emit(_log, "auth.grant_reused", mode=self.strategy.mode, checked=False)
        return known

    async def grant(self) -> SessionGrant:
        """The grant to use now: the one in memory or on disk if the server still accepts it,
        else a new sign-in (interactive modes: `SignInRequired`). Single-flight: callers that
        ask while a check or sign-in is under way (tabs connecting together) share its outcome,
        so they cause one sign-in and one proxy session."""
        return await self._granting()

    async def close(self) -> None:
        """End a check or sign-in nobody waits for any more (shutdown)."""
        await self._granting.close()

    async def _grant_now(self, reason: str = "no valid session") -> SessionGrant:
        known = self._grant or self._persisted()
        if known is not None and (known.cookies or known.headers):
            try:
                grant = await self._run(self.strategy.refresh_csrf(known))
            except SessionExpired:
                # The server says this session is gone: it is discarded (memory and disk), so
                # neither a retry nor the next start tries it again; an interactive mode asks
                # the user to sign in instead of re-offering its dead cookies.
                emit(_log, "auth.grant_stale", mode=self.strategy.mode)
                self._forget()
                known = replace(known, cookies=())
            else:
                emit(_log, "auth.grant_reused", mode=self.strategy.mode, checked=True)
                return self._keep(grant)
        return await self._sign_in(known, reason=reason)

    async def renew(self, reason: str) -> SessionGrant:
        """The server said the session is gone (`reason`): sign in again where the mode can do
        it without the user; interactive modes raise `SignInRequired`.

        The grant in hand is checked first (the cheap csrf request) and kept if the server
        still accepts it: another sheet may have renewed it a moment ago (tabs on two apps hear
        the end of one session one after the other), or only an app's engine session ended.
        Signing in regardless would leave a second proxy session behind each time."""
        if not self.strategy.renews_silently:
            self._forget()
            assert isinstance(self.strategy, Interactive)
            raise SignInRequired(
                "The Qlik session has ended. Sign in again to continue.",
                login_url=self.strategy.login_url(self.strategy.home_url()),
            )
        return await self._grant_now(reason=reason)

    async def _sign_in(self, previous: SessionGrant | None, *, reason: str) -> SessionGrant:
        emit(_log, "auth.signing_in", mode=self.strategy.mode, reason=reason)
        seed = None
        if previous is not None:
            seed = replace(previous, cookies=previous.cookies if self._interactive else ())
        grant = await self._run(self.strategy.authenticate(seed))
        return self._keep(grant)

    @property
    def _interactive(self) -> bool:
        return isinstance(self.strategy, Interactive)

    async def adopt_cookies(self, cookies: Iterable[GrantCookie]) -> SessionGrant:
        """Interactive modes: make a grant of the cookies harvested from the web view once the
        site confirms they are signed in (else `SessionExpired`)."""
        assert isinstance(self.strategy, Interactive)
        strategy = self.strategy

        def flow() -> Flow[SessionGrant]:
            grant = yield from strategy.adopt(cookies)
            return (yield from strategy.refresh_csrf(grant))

        grant = await self._run(flow())
        emit(_log, "auth.signed_in", mode=strategy.mode, user=strategy.loggable_user(grant))
        return self._keep(grant)

    def take_cookies(self, cookies: Iterable[GrantCookie]) -> SessionGrant | None:
        """Cookies the server set outside a sign-in (a header or JWT proxy starting a new proxy
        session at the engine's websocket upgrade): merged into the grant in use and kept, so
        the next socket, the view and REST calls share that session."""
        if self._grant is None:
            return None
        merged = merge_cookies(self._grant.cookies, cookies)
        if merged == self._grant.cookies:
            return self._grant
        emit(_log, "auth.session_cookie_set", mode=self.strategy.mode, source="engine handshake")
        return self._keep(replace(self._grant, cookies=merged))

    async def sign_out(self) -> bool:
        """End the server-side session this profile created (if any) and forget the grant;
        True when there was a session to end and the server was asked to end it."""
        grant = self._grant or self._persisted()
        self._forget()
        ended = False
        try:
            if grant is not None:
                async with self._client_factory(self.strategy) as client:
                    await run_flow(client, self.strategy.sign_out(grant))
                ended = True
        finally:
            emit(_log, "auth.signed_out", mode=self.strategy.mode, qlik_session_ended=ended)
        return ended

    def _forget(self) -> None:
        self._grant = None
        if self._store is not None:
            self._store.clear()
