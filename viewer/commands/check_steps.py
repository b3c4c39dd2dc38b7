"""The steps of `viewer check`, in the order the viewer needs them: name → TCP → TLS → stored
session → sign-in with the configured credentials → csrf → engine socket → OpenDoc → sheet →
`/single/`. Each step passes with a short detail, is skipped with the reason it does not apply,
or fails with the cause and a next step a Qlik admin understands (viewer.commands.check_hints);
steps after a failure are skipped.

TLS is checked twice over: by the web view's own verification (viewer.web.trust, the function
the view asks about a certificate Chromium refused) and by the handshake every HTTPS request
and engine socket makes. The stored session is reported on its own, so a rotated key or a wrong
password still fails the sign-in step even while an old session is accepted; a session the
check creates is signed out again where the flow can."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlsplit

import httpx

from viewer.auth.base import AuthStrategy, Flow, grant_request, is_unauthenticated, run_flow
from viewer.auth.errors import AuthError, SessionExpired, SignInRequired
from viewer.auth.factory import strategy_for
from viewer.auth.http import make_client, ssl_context
from viewer.auth.interactive import Interactive
from viewer.auth.session import AuthSession
from viewer.auth.store import GrantStore, default_grant_path
from viewer.commands.check_hints import (
    Diagnosis,
    connect_failure,
    engine_open_failure,
    tls_on_a_plain_url,
    untrusted_certificate,
)
from viewer.config.loading import Profile
from viewer.config.models import ViewerConfig
from viewer.config.tls import TlsSettings
from viewer.core.grant import SessionGrant
from viewer.core.urls import ENGINE_DATA_APP
from viewer.engine.errors import EngineClientError
from viewer.engine.objects import Doc, Global
from viewer.engine.session import Session
from viewer.sheet.connect import ConnectPath, SheetNotFound, SheetTarget, session_config
from viewer.web.trust import ConfiguredTrust

Outcome = Literal["pass", "fail", "skip"]
STEP_TIMEOUT = 20.0
TLS_PROBE_TIMEOUT = 3.0


@dataclass(frozen=True)
class StepResult:
    """One row of the check table."""

    step: str
    outcome: Outcome
    seconds: float
    detail: str
    hint: str = ""


class StepFailed(Exception):
    """A step failed: `detail` says what happened, `hint` what to do next."""

    def __init__(self, detail: str, hint: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.hint = hint

    @classmethod
    def of(cls, diagnosis: Diagnosis) -> StepFailed:
        return cls(diagnosis.detail, diagnosis.hint)


class StepSkipped(Exception):
    """A step that does not apply to this profile; the message says why."""


def _unverified() -> ssl.SSLContext:
    """A client context that completes any handshake: only to see what the server presents."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@dataclass
class Checker:
    """Runs the steps for one profile; keeps what earlier steps produced for later ones."""

    profile: Profile
    results: list[StepResult] = field(default_factory=list)
    _grant: SessionGrant | None = None
    _stored: SessionGrant | None = None
    _fresh: SessionGrant | None = None
    _strategy: AuthStrategy | None = None
    _sheet_id: str | None = None
    _session: Session | None = None
    _global: Global | None = None
    _doc: Doc | None = None
    _theme: str | None = None
    _connect: ConnectPath | None = None

    @property
    def _config(self) -> ViewerConfig:
        return self.profile.config

    def _host_port(self) -> tuple[str, int]:
        parts = urlsplit(self._config.tenant.base_url)
        return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)

    async def run(self) -> list[StepResult]:
        steps: list[tuple[str, Callable[[], Awaitable[str]]]] = [
            ("name resolves", self._resolve),
            ("TCP", self._tcp),
            ("TLS", self._tls),
            ("stored session", self._stored_session),
            ("auth", self._auth),
            ("csrf", self._csrf),
            ("engine socket", self._engine),
            ("OpenDoc", self._open_doc),
            ("sheet exists", self._sheet),
            ("/single/ reachable", self._single),
        ]
        try:
            for name, step in steps:
                await self._run_step(name, step)
        finally:
            if self._session is not None:
                await self._session.close()
            await self._sign_out_fresh()
        return self.results

    async def _run_step(self, name: str, step: Callable[[], Awaitable[str]]) -> None:
        if any(r.outcome == "fail" for r in self.results):
            self.results.append(StepResult(name, "skip", 0.0, "skipped after a failure"))
            return
        started = time.monotonic()
        try:
            async with asyncio.timeout(STEP_TIMEOUT):
                detail = await step()
        except StepFailed as failed:
            result = StepResult(name, "fail", 0.0, failed.detail, failed.hint)
        except StepSkipped as skipped:
            result = StepResult(name, "skip", 0.0, str(skipped))
        except TimeoutError:
            result = StepResult(
                name, "fail", 0.0, f"no answer within {STEP_TIMEOUT:.0f} s",
                "Check the network path to the site (proxy, firewall, VPN).",
            )  # fmt: skip
        else:
            result = StepResult(name, "pass", 0.0, detail)
        self.results.append(
            StepResult(result.step, result.outcome, time.monotonic() - started, result.detail,
                       result.hint)
        )  # fmt: skip

    async def _resolve(self) -> str:
        host, port = self._host_port()
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as error:
            raise StepFailed(
                f"the host `{host}` does not resolve ({error.strerror or error})",
                "Check the spelling of tenant.base_url and this machine's DNS or VPN.",
            ) from None
        return f"{host} → {infos[0][4][0]}"

    async def _tcp(self) -> str:
        host, port = self._host_port()
        try:
            _, writer = await asyncio.open_connection(host, port)
        except OSError as error:
            raise StepFailed.of(connect_failure(error, f"{host}:{port}")) from None
        writer.close()
        await writer.wait_closed()
        return f"{host}:{port} accepts connections"

    async def _tls(self) -> str:
        host, port = self._host_port()
        where = f"{host}:{port}"
        if urlsplit(self._config.tenant.base_url).scheme != "https":
            if await self._speaks_tls(host, port):
                raise StepFailed.of(tls_on_a_plain_url(where))
            return "plain http: no TLS to check"
        chain = await self._peer_chain(host, port)
        verdict = ConfiguredTrust(self._config.network.ca_bundle).verify(chain, host)
        # as in the view: Chromium's own (the system's) trust first, ours for what it refuses
        if not verdict.trusted and not await self._system_trusts(host, port):
            raise StepFailed.of(untrusted_certificate(where, verdict.reason))
        try:
            context = ssl_context(TlsSettings(ca_bundle=self._config.network.ca_bundle))
        except AuthError as error:
            raise StepFailed(str(error)) from None
        try:
            _, writer = await asyncio.open_connection(host, port, ssl=context, server_hostname=host)
        except ssl.SSLCertVerificationError as error:
            raise StepFailed(
                f"the certificate of {where} is not trusted ({error.verify_message})",
                "Add the CA that issued it to the operating system's trust store or set "
                "network.ca_bundle.",
            ) from None
        except (OSError, ssl.SSLError) as error:
            raise StepFailed.of(connect_failure(error, where)) from None
        writer.close()
        await writer.wait_closed()
        return "certificate trusted by the web view and by the engine/HTTP connections"

    async def _system_trusts(self, host: str, port: int) -> bool:
        """Whether the system's CAs alone accept the server (Chromium needs no help then)."""
        try:
            context = ssl_context(TlsSettings())
            _, writer = await asyncio.open_connection(host, port, ssl=context, server_hostname=host)
        except (AuthError, OSError, ssl.SSLError):  # not trusted, or no usable handshake
            return False
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):
            await writer.wait_closed()
        return True

    async def _speaks_tls(self, host: str, port: int) -> bool:
        """Whether the server completes a TLS handshake: an http:// URL on an HTTPS port. A
        plain-HTTP server answers the hello with text, or not at all (then it is not waited for
        long)."""
        try:
            async with asyncio.timeout(TLS_PROBE_TIMEOUT):
                _, writer = await asyncio.open_connection(
                    host, port, ssl=_unverified(), server_hostname=host
                )
        except (OSError, ssl.SSLError, TimeoutError):
            return False
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):
            await writer.wait_closed()
        return True

    async def _peer_chain(self, host: str, port: int) -> list[bytes]:
        """The chain the server presents (DER, leaf first), fetched without verifying it: the
        verification is `ConfiguredTrust`'s, the one the web view uses."""
        try:
            _, writer = await asyncio.open_connection(
                host, port, ssl=_unverified(), server_hostname=host
            )
        except (OSError, ssl.SSLError) as error:
            raise StepFailed.of(connect_failure(error, f"{host}:{port}")) from None
        try:
            return presented_chain(writer.get_extra_info("ssl_object"))
        finally:
            writer.close()
            with contextlib.suppress(OSError, ssl.SSLError):
                await writer.wait_closed()

    async def _stored_session(self) -> str:
        """The session a previous `viewer run` stored, checked with the cheap csrf request."""
        config = self._config
        try:
            self._strategy = strategy_for(config, self.profile.identity())
        except AuthError as error:
            raise StepFailed(str(error)) from None
        interactive = isinstance(self._strategy, Interactive)
        if not config.web.persistent_profile:
            raise StepSkipped("web.persistent_profile is off: no session is stored")
        path = default_grant_path(self.profile.locations.state_dir, self.profile.name)
        tenant = self._strategy.tenant
        known = GrantStore(path).load(base_url=tenant.base_url, identity=tenant.identity)
        if known is not None and self._strategy.static_headers:
            known = replace(known, headers=self._strategy.static_headers)
        if known is None:
            if interactive:
                raise StepFailed(
                    "no stored session",
                    "Run `viewer run` once and sign in in its window; `viewer check` then "
                    "tests that session.",
                )
            raise StepSkipped("none stored (`viewer run` stores one after signing in)")
        try:
            async with make_client(tls=self._strategy.tls) as http:
                self._stored = await run_flow(http, self._strategy.refresh_csrf(known))
        except SessionExpired as error:
            if interactive:
                raise StepFailed(
                    f"the stored session is no longer accepted ({error})",
                    "Sign in again: `viewer run` asks for it (or `viewer profile reset` first).",
                ) from None
            raise StepSkipped(
                "the stored session is no longer accepted; `viewer run` signs in again with the "
                "configured credentials"
            ) from None
        except AuthError as error:
            raise StepFailed(str(error)) from None
        return f"accepted ({path})"

    async def _auth(self) -> str:
        """A sign-in with the configured credentials, whatever is stored (a rotated key or a
        wrong password fails here even while an old session is still accepted)."""
        config = self._config
        strategy = self._strategy
        assert strategy is not None
        if isinstance(strategy, Interactive):
            self._grant = self._stored
            raise StepSkipped(
                f"{config.auth.mode}: the user signs in in the viewer's window; the stored "
                "session above is what `viewer check` can test"
            )
        try:
            self._fresh = await AuthSession(strategy, None).grant()
        except SignInRequired as error:
            raise StepFailed(str(error)) from None
        except AuthError as error:
            raise StepFailed(str(error)) from None
        self._grant = self._fresh
        return f"{config.auth.mode}: signed in with the configured credentials" + (
            f" as {self._fresh.user}" if self._fresh.user else ""
        )

    async def _sign_out_fresh(self) -> None:
        """End the session the sign-in step created, where the flow can (no proxy session is
        left behind by a check)."""
        if self._fresh is None or self._strategy is None:
            return
        with contextlib.suppress(AuthError, OSError):
            async with make_client(tls=self._strategy.tls) as http:
                await run_flow(http, self._strategy.sign_out(self._fresh))

    async def _csrf(self) -> str:
        if self._grant is None:
            raise StepFailed("no session to test", "Run `viewer run` once and sign in.")
        if self._grant.csrf_token:
            return "token received"
        if "Authorization" in self._grant.headers:
            return "not needed: bearer authentication"
        raise StepFailed(
            "the site returned no csrf token for this session",
            "Check that the virtual proxy / tenant allows this session to open the engine.",
        )

    def _path(self) -> ConnectPath:
        """The connect path `viewer run` uses (viewer.sheet.connect), step by step: what check
        tests is what run does. Its sign-in is the checker's own (the steps above)."""
        if self._connect is None:
            assert self._strategy is not None
            self._connect = ConnectPath(
                AuthSession(self._strategy, None),
                self._config,
                self.profile.identity(),
                session_config(self._config.network),
            )
        return self._connect

    async def _engine(self) -> str:
        assert self._grant is not None
        app_id = self._config.tenant.app_id or ENGINE_DATA_APP
        try:
            self._session, self._global = await self._path().open_session(
                self._grant, app_id, lambda _event: None
            )
        except EngineClientError as error:
            classification = getattr(error, "classification", None)
            key = classification.reason_key if classification is not None else ""
            raise StepFailed.of(engine_open_failure(key, str(error))) from None
        return f"opened ({self._session.session_state or 'connected'})"

    async def _open_doc(self) -> str:
        assert self._global is not None
        app_id = self._config.tenant.app_id
        if app_id is None:  # the analyst picks apps in the hub: the engine lists them
            try:
                docs = await self._global.get_doc_list()
            except EngineClientError as error:
                raise StepFailed(f"the engine did not list the apps: {error}") from None
            return f"no app configured; the engine lists {len(docs)} app(s)"
        try:
            self._doc = await self._path().open_app(self._global, app_id)
        except EngineClientError as error:
            raise StepFailed(
                f"the app `{app_id}` could not be opened: {error}",
                "Check tenant.app_id and that the user may access the app (space/stream rules).",
            ) from None
        return f"app {app_id} open"

    async def _sheet(self) -> str:
        tenant = self._config.tenant
        if tenant.app_id is None:
            return "no app configured; sheets are chosen in the hub"
        assert self._doc is not None
        target = SheetTarget(tenant.app_id, tenant.sheet_id)
        try:
            self._sheet_id, self._theme = await self._path().choose_sheet(self._doc, target)
        except SheetNotFound as missing:
            if missing.sheet_id is None:
                raise StepFailed(
                    "the app has no sheet", "Publish or create a sheet in the app."
                ) from None
            raise StepFailed(
                f"sheet `{missing.sheet_id}` is not in the app",
                "Check tenant.sheet_id: the id is the last part of the sheet's URL in Qlik.",
            ) from None
        except EngineClientError as error:
            raise StepFailed(f"the sheet could not be found: {error}") from None
        if tenant.sheet_id is None and not tenant.sheets:
            return f"no sheet configured; `viewer run` shows the first, {self._sheet_id}"
        return f"sheet {self._sheet_id} found"

    async def _single(self) -> str:
        assert self._grant is not None
        tenant = self._config.tenant
        if tenant.app_id is None:
            return "no app configured; the hub opens sheets"
        assert self._sheet_id is not None
        url = self._path().sheet_url(tenant.app_id, self._sheet_id, self._theme)
        tls = TlsSettings(ca_bundle=self._config.network.ca_bundle)
        try:
            async with make_client(tls=tls) as http:
                response = await run_flow(http, _fetch(url, self._grant))
        except AuthError as error:
            raise StepFailed(str(error)) from None
        if is_unauthenticated(response):
            raise StepFailed(
                "/single/ sent the view to the login page",
                "The session cookie is not accepted by the page: check the virtual proxy's "
                "session cookie settings (SameSite, domain).",
            )
        if response.status_code != 200:
            raise StepFailed(f"/single/ answered HTTP {response.status_code}")
        return "page served"


def presented_chain(ssl_object: object) -> list[bytes]:
    """The certificates a TLS peer presented (DER, leaf first), unverified. Python 3.13 has
    `get_unverified_chain()`; 3.11 has it on the C object only; the leaf alone otherwise."""
    for holder in (ssl_object, getattr(ssl_object, "_sslobj", None)):
        get_chain = getattr(holder, "get_unverified_chain", None)
        if get_chain is None:
            continue
        chain = get_chain() or []
        return [c if isinstance(c, bytes) else c.public_bytes(ssl._ssl.ENCODING_DER) for c in chain]  # type: ignore[attr-defined]
    leaf = getattr(ssl_object, "getpeercert", lambda **_: None)(binary_form=True)
    return [leaf] if leaf else []


def _fetch(url: str, grant: SessionGrant) -> Flow[httpx.Response]:
    response = yield grant_request("GET", url, grant)
    return response


async def run_checks(profile: Profile) -> list[StepResult]:
    """Every step for `profile`, in order (config validity is checked when loading it)."""
    return await Checker(profile).run()


def render_table(results: list[StepResult]) -> str:
    """A plain-text table: step, result, time, detail/hint."""
    rows = [("step", "result", "time", "detail / hint")]
    for r in results:
        text = r.detail + (f" — {r.hint}" if r.hint else "")
        rows.append((r.step, r.outcome.upper(), f"{r.seconds * 1000:.0f} ms", text))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row))
        for row in rows
    )


def as_json(results: list[StepResult]) -> list[dict[str, object]]:
    """The results as JSON-ready dicts."""
    return [
        {"step": r.step, "result": r.outcome, "seconds": round(r.seconds, 4), "detail": r.detail,
         "hint": r.hint}
        for r in results
    ]  # fmt: skip
