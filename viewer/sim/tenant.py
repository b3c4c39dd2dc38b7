"""The state one simulated tenant shares between its routes: options, users, proxy sessions,
counters, the HTTP faults waiting to fire and the engine hub. Bookkeeping only, no I/O."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from viewer.sim.engine.data import App
from viewer.sim.engine.hub import EngineHub

Flavor = Literal["cloud", "qseow"]
SessionOrigin = Literal["login", "jwt", "ticket", "session-api", "header", "anonymous"]


def secret_matches(given: str, expected: str) -> bool:
    """Constant-time comparison that also copes with non-ASCII input (it never raises)."""
    return secrets.compare_digest(given.encode(), expected.encode())


@dataclass(frozen=True)
class SimOptions:
    """How to run a simulated tenant; every field has a default fit for tests and the demo."""

    flavor: Flavor = "cloud"
    host: str = "127.0.0.1"
    port: int = 0
    tls: bool = False
    qps_port: int = 0
    engine_port: int = 0
    prefix: str = "sim"
    header_prefix: str = "hdr"
    header_name: str = "hdr-usr"
    jwt_prefix: str = "jwt"
    anonymous_prefix: str = "anon"
    user_directory: str = "SIM"
    session_ttl: float = 60.0
    inactivity_timeout: float | None = None
    max_parallel_sessions: int = 5
    ticket_lifetime: float = 60.0
    allowed_origins: tuple[str, ...] = ()
    require_websocket_csrf: bool = True


@dataclass(frozen=True)
class User:
    """A person the tenant knows. `directory` is empty on Qlik Cloud."""

    user_id: str
    directory: str = ""
    name: str = ""
    email: str = ""

    @property
    def key(self) -> str:
        """The user as the engine hub and `/_sim/state` name it: `DIR\\id`, or the id in Cloud."""
        return f"{self.directory}\\{self.user_id}" if self.directory else self.user_id


@dataclass
class ProxySession:
    """A signed-in session: what a session cookie (eas.sid or X-Qlik-Session-*) points at."""

    session_id: str
    user: User
    origin: SessionOrigin
    proxy: str = ""
    csrf_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    attributes: list[dict[str, str]] = field(default_factory=list)
    created_at: float = field(default_factory=time.time)
    last_active: float = field(default_factory=time.time)

    def public(self) -> dict[str, Any]:
        """What `/_sim/state` shows of the session (no secrets)."""
        return {
            "user": self.user.key,
            "origin": self.origin,
            "proxy": self.proxy,
            "created_at": self.created_at,
            "last_active": self.last_active,
        }


@dataclass
class Counters:
    """Totals since start, reported by `/_sim/state`."""

    logins: int = 0
    login_failures: int = 0
    tickets_issued: int = 0
    tickets_redeemed: int = 0
    sessions_created: int = 0
    sessions_deleted: int = 0
    sockets_refused: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class SessionStore:
    """Proxy sessions by id, ordered by creation (the order the parallel-session limit uses)."""

    def __init__(self, counters: Counters) -> None:
        self._sessions: dict[str, ProxySession] = {}
        self._counters = counters

    def create(
        self,
        user: User,
        origin: SessionOrigin,
        *,
        session_id: str | None = None,
        proxy: str = "",
        attributes: list[dict[str, str]] | None = None,
    ) -> ProxySession:
        """Start a session (replacing one with the same id) and count it."""
        session = ProxySession(
            session_id=session_id or secrets.token_urlsafe(24),
            user=user,
            origin=origin,
            proxy=proxy,
            attributes=list(attributes or []),
        )
        self._sessions.pop(session.session_id, None)
        self._sessions[session.session_id] = session
        self._counters.sessions_created += 1
        return session

    def get(self, session_id: str | None) -> ProxySession | None:
        """The live session with that id, marked active now; None when unknown or ended."""
        session = self._sessions.get(session_id) if session_id else None
        if session is not None:
            session.last_active = time.time()
        return session

    def delete(self, session_id: str) -> ProxySession | None:
        """End one session; None when there was none."""
        session = self._sessions.pop(session_id, None)
        if session is not None:
            self._counters.sessions_deleted += 1
        return session

    def for_user(self, user_key: str, proxy: str | None = None) -> list[ProxySession]:
        """The user's live sessions (on one virtual proxy when `proxy` is given), oldest first."""
        return [
            s
            for s in self._sessions.values()
            if s.user.key == user_key and (proxy is None or s.proxy == proxy)
        ]

    def delete_user(self, user_key: str | None) -> list[ProxySession]:
        """End every session of one user (all users when None)."""
        doomed = [s for s in self if user_key is None or s.user.key == user_key]
        for session in doomed:
            self.delete(session.session_id)
        return doomed

    def rank(self, session: ProxySession) -> int:
        """0 for the user's oldest live session on its proxy, 1 for the next, and so on."""
        return self.for_user(session.user.key, session.proxy).index(session)

    def __iter__(self) -> Iterator[ProxySession]:
        return iter(list(self._sessions.values()))


class HttpFaults:
    """Planned HTTP errors: the next `count` requests of `path` get `status`."""

    def __init__(self) -> None:
        self._planned: dict[str, list[int]] = {}

    def plan(self, path: str, status: int, count: int) -> None:
        self._planned[path] = [status, count]

    def take(self, path: str) -> int | None:
        """The status to answer `path` with now, consuming one planned error; None if none."""
        plan = self._planned.get(path)
        if plan is None:
            return None
        status, remaining = plan
        if remaining <= 1:
            del self._planned[path]
        else:
            plan[1] = remaining - 1
        return status

    def pending(self) -> dict[str, dict[str, int]]:
        return {path: {"status": s, "count": n} for path, (s, n) in self._planned.items()}


def _password() -> str:
    return secrets.token_urlsafe(9)


@dataclass
class Tenant:
    """Everything the routes of one running sim share."""

    options: SimOptions
    hub: EngineHub
    apps: list[App]
    base_url: str = ""
    counters: Counters = field(default_factory=Counters)
    http_faults: HttpFaults = field(default_factory=HttpFaults)
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    web_integration_id: str = field(default_factory=lambda: secrets.token_hex(12))
    passwords: dict[str, str] = field(
        default_factory=lambda: {"alice": _password(), "bob": _password()}
    )
    max_parallel_sessions: int = 5
    sessions: SessionStore = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = SessionStore(self.counters)
        self.max_parallel_sessions = self.options.max_parallel_sessions

    def user(self, user_id: str, directory: str = "") -> User:
        """A user record with a display name and e-mail derived from the id."""
        return User(
            user_id=user_id,
            directory=directory,
            name=user_id.capitalize(),
            email=f"{user_id.lower()}@sim.example",
        )

    def check_password(self, user_id: str, password: str) -> bool:
        expected = self.passwords.get(user_id)
        return expected is not None and secret_matches(password, expected)
