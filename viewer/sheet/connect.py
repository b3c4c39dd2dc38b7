"""The one connect path of a sheet: grant → engine session → app (OpenDoc) → sheet → sheet URL.

Used by every sheet of the viewer and, step by step, by `viewer check`, so what check tests is
what `run` does. Each step has its own deadline; a step that fails or runs out of time closes
what the attempt opened, so the next attempt always starts clean (nothing half-open is ever
mistaken for a working session).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from viewer.auth.errors import (
    AuthConfigError,
    ClientCertificateRefused,
    CredentialsRejected,
    ServiceUnavailable,
    TlsUntrusted,
)
from viewer.auth.session import AuthSession
from viewer.config.models import NetworkConfig, ViewerConfig
from viewer.config.tenant_urls import tenant_engine_url, tenant_sheet_url
from viewer.core.closes import CloseClassification, CloseKind
from viewer.core.grant import GrantCookie, SessionGrant
from viewer.engine import events as engine_events
from viewer.engine.connection import SessionConfig
from viewer.engine.errors import (
    EngineConnectError,
    EngineError,
    EngineErrorCode,
    SessionClosedError,
)
from viewer.engine.objects import Doc, Global
from viewer.engine.session import Session
from viewer.log import emit, get_logger
from viewer.sheet.target import SheetTarget

__all__ = ["ConnectPath", "Connected", "SheetTarget", "StepTimedOut", "close_quietly"]

_log = get_logger("app")
T = TypeVar("T")
CLOSE_TIMEOUT_S = 2.0  # a dead socket's closing handshake is not waited for longer
EventSink = Callable[[engine_events.SessionEvent], None]


class SheetNotFound(EngineError):
    """The app has no sheet with the configured id (or no sheet at all)."""

    def __init__(self, sheet_id: str | None) -> None:
        what = f"no sheet with the id {sheet_id}" if sheet_id else "no sheet to show"
        super().__init__(EngineErrorCode.APP_NOT_FOUND, sheet_id or "", f"the app has {what}")
        self.sheet_id = sheet_id


def session_config(network: NetworkConfig) -> SessionConfig:
    """The engine socket's settings (keepalive, TLS) from the profile's network section."""
    return SessionConfig(
        ping_interval=network.keepalive_interval_s,
        ping_timeout=network.keepalive_timeout_s,
        close_timeout=CLOSE_TIMEOUT_S,
        ca_bundle=network.ca_bundle,
    )


class StepTimedOut(TimeoutError):
    """A step of the connect path ran out of time (`step` names it, `seconds` its deadline)."""

    def __init__(self, step: str, seconds: float) -> None:
        super().__init__(f"{step} did not finish within {seconds:g} s")
        self.step = step
        self.seconds = seconds


@dataclass
class Connected:
    """A finished connect: the engine session with the app open and the sheet to load."""

    grant: SessionGrant
    session: Session
    doc: Doc
    sheet_id: str
    theme: str | None
    sheet_url: str


class ConnectPath:
    """Connects one sheet for one profile. `steps` (if given) hears each step's name as it
    starts: the overlay's "Opening the app…" and `viewer check`'s table come from there.
    `connected` (if given) hears every finished connect (the analyst's window reads the app's
    title and last reload from its doc). `grant_changed` (if given) hears when an engine
    handshake changed the grant (a proxy started a new session there): the view must join it,
    at a connect and at a resume alike."""

    def __init__(
        self,
        auth: AuthSession,
        config: ViewerConfig,
        identity: str,
        session_config: SessionConfig,
        *,
        step_started: Callable[[str], None] | None = None,
        connected: Callable[[Connected], None] | None = None,
        grant_changed: Callable[[], None] | None = None,
    ) -> None:
        self.auth = auth
        self.config = config
        self.identity = identity
        self.session_config = session_config
        self._step_started = step_started or (lambda _step: None)
        self._connected = connected or (lambda _connected: None)
        self._grant_changed = grant_changed or (lambda: None)

    async def _step(self, name: str, seconds: float, work: Awaitable[T]) -> T:
        self._step_started(name)
        try:
            async with asyncio.timeout(seconds):
                return await work
        except TimeoutError as error:
            raise StepTimedOut(name, seconds) from error

    @property
    def _step_s(self) -> float:
        return self.config.network.connect_step_timeout_s

    async def connect(
        self,
        target: SheetTarget,
        on_event: EventSink,
        step_started: Callable[[str], None] | None = None,
    ) -> Connected:
        """The whole path for `target`; `step_started` hears each step's name as it starts. On
        any failure the engine session this attempt opened is closed before the error
        propagates."""
        if step_started is not None:
            self._step_started = step_started
        grant, session, global_ = await self.open_engine(target.app_id, on_event)
        try:
            doc = await self.open_app(global_, target.app_id)
            sheet, theme = await self.choose_sheet(doc, target)
        except BaseException:
            await close_quietly(session)
            raise
        url = self.sheet_url(target.app_id, sheet, theme)
        connected = Connected(grant, session, doc, sheet, theme, url)
        self._connected(connected)
        return connected

    async def open_engine(
        self, app_id: str, on_event: EventSink
    ) -> tuple[SessionGrant, Session, Global]:
        """A grant and an engine session opened with it. A grant the viewer already has is tried
        as it is: the engine's handshake checks it (one request fewer at every start and
        reconnect). If the engine refuses it, `auth.grant()` checks it the usual way (the same
        session with a new csrf token, or a new sign-in) and the engine is tried again. While a
        grant is on trial, its refusal is not reported as an event (`on_event` does not hear an
        auth close): the check decides whether a sign-in is due."""
        known = self.auth.unchecked()
        if known is not None:
            try:
                session, global_ = await self.open_session(known, app_id, on_event, trial=True)
                return self.auth.current or known, session, global_
            except EngineConnectError as error:
                if error.classification.kind is not CloseKind.AUTH_REQUIRED:
                    raise
                emit(_log, "auth.grant_refused", reason=error.classification.reason_key)
        grant = await self._step("sign-in", self._step_s, self.auth.grant())
        session, global_ = await self.open_session(grant, app_id, on_event)
        return self.auth.current or grant, session, global_

    async def open_session(
        self, grant: SessionGrant, app_id: str, on_event: EventSink, *, trial: bool = False
    ) -> tuple[Session, Global]:
        """The engine session of `app_id` opened with `grant` (the engine socket step)."""
        url = tenant_engine_url(self.config.tenant, self.identity, grant.csrf_token, app_id)
        session = Session(url, grant, self.session_config)
        session.on_cookies = self._take_cookies
        opening = trial  # a refusal while the grant is on trial is for open_engine to judge

        def forward(event: engine_events.SessionEvent) -> None:
            if not (opening and _is_auth_close(event)):
                on_event(event)

        session.events.add(forward)
        try:
            global_ = await self._step("engine socket", self._step_s, session.open())
        except BaseException:
            await close_quietly(session)
            raise
        finally:
            opening = False
        return session, global_

    def _take_cookies(self, cookies: tuple[GrantCookie, ...]) -> None:
        """Cookies an engine handshake set (this path's sessions, resumes included)."""
        before = self.auth.current
        if self.auth.take_cookies(cookies) is not before:
            self._grant_changed()

    async def open_app(self, global_: Global, app_id: str) -> Doc:
        """OpenDoc, with its own (long) deadline: big apps load their data first."""
        seconds = self.config.network.open_app_timeout_s
        return await self._step("open app", seconds, global_.open_doc(app_id))

    async def choose_sheet(self, doc: Doc, target: SheetTarget) -> tuple[str, str | None]:
        """The sheet to show (the target's, the profile's, else the app's first) and the theme
        the page uses (configured, else the app's own)."""
        tenant = self.config.tenant
        theme = tenant.single.theme or await self._step(
            "app theme", self._step_s, doc.get_theme_id()
        )
        sheet = target.sheet_id
        if sheet is None and target.app_id == tenant.app_id:
            sheet = tenant.sheet_id or (tenant.sheets[0] if tenant.sheets else None)
        if sheet is not None:
            found = await self._step("sheet", self._step_s, doc.get_object(sheet))
            if found is None:
                raise SheetNotFound(sheet)
        else:
            sheets = await self._step("sheet list", self._step_s, doc.get_sheet_list())
            sheet = str(sheets[0]["id"]) if sheets else None
            if sheet is None:
                raise SheetNotFound(None)
        return sheet, theme

    def sheet_url(self, app_id: str, sheet: str, theme: str | None) -> str:
        """The `/single/` URL of `sheet`."""
        return tenant_sheet_url(self.config.tenant, self.identity, sheet, theme, app_id)


def _is_auth_close(event: engine_events.SessionEvent) -> bool:
    return isinstance(event, engine_events.Closed | engine_events.AuthRequired) and (
        event.classification.kind is CloseKind.AUTH_REQUIRED
    )


async def close_quietly(session: Session) -> None:
    """Close `session` on purpose, telling nobody (a deliberate close of our own is not news)."""
    session.events.clear()
    with contextlib.suppress(EngineError, OSError):
        await session.close()


_FATAL_AUTH: dict[type[Exception], str] = {
    TlsUntrusted: "tls.untrusted_certificate",
    ClientCertificateRefused: "auth.client_certificate_refused",
    CredentialsRejected: "auth.credentials_rejected",
    AuthConfigError: "config.auth_unusable",
}


def failure_cause(error: BaseException) -> CloseClassification | None:
    """What a failed connect says about its cause, when it names one a user or an admin must
    act on (a certificate, an app or sheet id, credentials, a server that speaks plain HTTP …);
    None for a failure that only says "not this time" (network, timeouts, a busy server)."""
    if isinstance(error, EngineConnectError | SessionClosedError):
        return error.classification
    if isinstance(error, SheetNotFound):
        return CloseClassification(CloseKind.FATAL, "config.sheet_not_found")
    if isinstance(error, EngineError):
        if error.code == EngineErrorCode.APP_NOT_FOUND:
            return CloseClassification(CloseKind.FATAL, "config.app_not_found")
        if error.code in (EngineErrorCode.ACCESS_DENIED, EngineErrorCode.USER_ACCESS_DENIED):
            return CloseClassification(CloseKind.FATAL, "engine.access_denied")
        return None
    for kind, key in _FATAL_AUTH.items():
        if isinstance(error, kind):
            return CloseClassification(CloseKind.FATAL, key)
    if isinstance(error, ServiceUnavailable) and error.status is not None and error.status >= 500:
        # The tenant (or the site's JWT or ticket service) failed to sign in: a server that is
        # down or overloaded for now, not a sign-in the user must give. Retried like the network.
        detail = {"http_status": str(error.status)}
        return CloseClassification(CloseKind.NETWORK, SIGN_IN_SERVER_ERROR, detail=detail)
    return None


SIGN_IN_SERVER_ERROR = "auth.server_error"
