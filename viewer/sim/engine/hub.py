"""The simulated QIX engine: runs engine websockets, shares sessions between them, injects faults.

`serve` speaks the protocol on an already-prepared aiohttp websocket: OnConnected first, then one
answer per request in order. Answers carry the `change`/`close` handle lists; the other sockets of
the same engine session get those lists in a frame of their own at once (as the engine pushes
invalidations). A bug in a handler answers -32603 and keeps the socket; bad JSON answers -32700.

For faithful faults, prepare the websocket with `websocket_response()`: it sets the frame limit
(oversized frames end with close 1009) and lets the hub answer pings, so a partition also
silences pings. With aiohttp's autoping, pongs would still flow during a partition.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from viewer.log import emit, get_logger
from viewer.sim.engine.connection import CLOSE_AFTER_NOTIFICATION, Connection, Settings
from viewer.sim.engine.data import App, Json
from viewer.sim.engine.protocol import (
    ErrorCode,
    RpcError,
    error_response,
    handles_frame,
    notification,
    parse_request,
    response,
    with_handles,
)
from viewer.sim.engine.registry import SessionEntry, SessionRegistry

_log = get_logger("sim")

COUNTER_NAMES = (
    "frames_in",
    "frames_out",
    "errors",
    "sessions_created",
    "sessions_attached",
    "sessions_discarded",
    "sockets_opened",
    "sockets_closed",
    "notifications",
)

_FAULT_WAIT = 5.0
"""How long a fault that ends sockets waits for them to be gone before it returns."""


class EngineHub:
    """All engine sessions of one simulated tenant and the sockets attached to them."""

    def __init__(
        self, apps: Sequence[App], *, session_ttl: float = 60.0, max_frame_bytes: int = 4 * 2**20
    ) -> None:
        self.apps: dict[str, App] = {app.info.id: app for app in apps}
        self.max_frame_bytes = max_frame_bytes
        self.counters: Counter[str] = Counter(dict.fromkeys(COUNTER_NAMES, 0))
        self._settings = Settings()
        self._registry = SessionRegistry(self.apps, ttl=session_ttl, counters=self.counters)
        self._entries: dict[Connection, SessionEntry] = {}
        self._partition_scopes: list[tuple[str | None, str | None, str | None]] = []
        self.on_proxy_session_timed_out: Callable[[str], object] | None = None
        """Called with a proxy session id when one of its sockets timed out for inactivity
        (the tenant ends that proxy session, as a real proxy does)."""

    def websocket_response(self, **options: Any) -> web.WebSocketResponse:
        """A websocket response set up the way `serve` works best (see the module docstring)."""
        options.setdefault("max_msg_size", self.max_frame_bytes)
        options.setdefault("autoping", False)
        return web.WebSocketResponse(**options)

    def has_app(self, app_id: str) -> bool:
        return app_id in self.apps

    async def serve(
        self,
        ws: web.WebSocketResponse,
        *,
        user: str,
        identity: str | None,
        app_id: str | None,
        auth_info: Mapping[str, object] | None = None,
        proxy_session: str | None = None,
    ) -> None:
        """Run the QIX protocol on `ws` until it closes (see the module docstring);
        `proxy_session` is the id of the proxy session the socket came through, if any."""
        connection = Connection(
            ws,
            user=user,
            identity=identity,
            settings=self._settings,
            counters=self.counters,
            proxy_session=proxy_session,
            on_idle=self._on_idle_timeout,
        )
        entry, attached = self._registry.attach(
            connection, user=user, identity=identity, app_id=app_id
        )
        self._entries[connection] = entry
        self.counters["sockets_opened"] += 1
        if self._partitioned(user, identity, app_id):
            connection.partition()  # a new socket into a partitioned network hears nothing either
        state = "SESSION_ATTACHED" if attached else "SESSION_CREATED"
        self._notify(connection, "OnConnected", {"qSessionState": state})
        pending_auth = dict(auth_info) if auth_info is not None else None

        def on_frame(connection: Connection, data: str | bytes) -> None:
            nonlocal pending_auth
            if pending_auth is not None:
                self._notify(connection, "OnAuthenticationInformation", pending_auth)
                pending_auth = None
            self._handle_frame(connection, entry, data)

        try:
            await connection.run(on_frame)
        finally:
            self._entries.pop(connection, None)
            self.counters["sockets_closed"] += 1
            self._registry.detach(entry, connection)

    # -- introspection ---------------------------------------------------------------------

    def snapshot(self) -> dict[str, object]:
        """Every engine session, the number per user, the counters and the fault settings."""
        entries = self._registry.entries()
        per_user = Counter(entry.user for entry in entries)
        return {
            "sessions": [
                {
                    "user": entry.user,
                    "identity": entry.identity,
                    "app": entry.app_id,
                    "sockets": len(entry.sockets),
                    "created_at": _iso(entry.created_at),
                    "last_active": _iso(entry.last_active),
                    "doc_open": entry.session.doc is not None,
                    "selections": {
                        k: list(v) for k, v in entry.session.selections.by_field.items()
                    },
                }
                for entry in entries
            ],
            "per_user": dict(per_user),
            "counters": dict(self.counters),
            "settings": {
                "latency": self._settings.latency,
                "inactivity_timeout": self._settings.inactivity_timeout,
                "partitioned_sockets": sum(c.partitioned for c in self._entries),
            },
        }

    def session_count(self, user: str) -> int:
        """Live engine sessions of `user`, with or without sockets (detached ones count until ttl)."""
        return sum(entry.user == user for entry in self._registry.entries())

    # -- faults ----------------------------------------------------------------------------

    async def drop(
        self, user: str | None = None, identity: str | None = None, app: str | None = None
    ) -> int:
        """Abort the matching sockets' TCP connections (no close frame). Returns the socket count."""
        targets = self._select(user, identity, app)
        for connection in targets:
            connection.abort()
        return await self._after_fault("drop", targets)

    async def close(
        self,
        code: int,
        reason: str,
        user: str | None = None,
        identity: str | None = None,
        app: str | None = None,
    ) -> int:
        """Close the matching sockets with `code` and `reason` (after frames already queued)."""
        targets = self._select(user, identity, app)
        for connection in targets:
            connection.close_after_pending(code, reason)
        return await self._after_fault("close", targets)

    async def partition(
        self, user: str | None = None, identity: str | None = None, app: str | None = None
    ) -> int:
        """Stop reading and writing the matching sockets, which stay open, until `heal`; sockets
        that match and open before `heal` are silent from the start (a real partition lets no
        new connection through either); narrowed to an app, only that app's new sockets are."""
        self._partition_scopes.append((user, identity, app))
        targets = [c for c in self._select(user, identity, app) if not c.partitioned]
        for connection in targets:
            connection.partition()
        return await self._after_fault("partition", targets, wait=False)

    async def heal(self) -> int:
        """End every partition; held frames flow again in both directions."""
        self._partition_scopes.clear()
        targets = [c for c in self._entries if c.partitioned]
        for connection in targets:
            connection.heal()
        return await self._after_fault("heal", targets, wait=False)

    async def restart(self) -> int:
        """Lose every engine session and abort every socket. Returns the sessions lost."""
        targets = list(self._entries)
        lost = self._registry.clear()
        for connection in targets:
            connection.abort()
        await self._after_fault("restart", targets)
        return len(lost)

    async def expire(
        self, user: str | None = None, identity: str | None = None, app: str | None = None
    ) -> int:
        """The session-timeout path on the matching sockets: OnSessionTimedOut (fatal), close."""
        targets = self._select(user, identity, app)
        for connection in targets:
            connection.time_out()
        return await self._after_fault("expire", targets)

    async def notify(
        self,
        method: str,
        params: Mapping[str, object],
        *,
        user: str | None = None,
        identity: str | None = None,
        close_after: bool = False,
        app: str | None = None,
    ) -> int:
        """Send a notification to the matching sockets, then close them (1000) when asked."""
        targets = self._select(user, identity, app)
        for connection in targets:
            self._notify(connection, method, dict(params))
            if close_after:
                connection.close_after_pending(CLOSE_AFTER_NOTIFICATION, method)
        return await self._after_fault("notify", targets, wait=close_after)

    async def reload(self, app_id: str | None = None) -> list[str]:
        """Reload the app (every app when None): new data, a new qLastReloadTime, and every
        socket of a session with the app open told that its Doc and objects changed. Returns
        the ids of the apps reloaded."""
        apps = [app for app in self.apps.values() if app_id is None or app.info.id == app_id]
        for app in apps:
            app.reload()
            self._announce_reload(app.info.id)
        emit(_log, "sim.engine.fault", kind="reload", apps=len(apps))
        return [app.info.id for app in apps]

    def _announce_reload(self, app_id: str, *, already_told: SessionEntry | None = None) -> None:
        """Tell every session (but `already_told`) with `app_id` open that its data changed."""
        for entry in self._registry.entries():
            doc = entry.session.doc
            if entry is already_told or doc is None or doc.app.info.id != app_id:
                continue
            entry.session.data_changed()
            change, close = entry.session.take_changes()
            for socket in entry.sockets:
                socket.send(handles_frame(change, close))

    def set_latency(self, seconds: float) -> None:
        """Delay every frame the engine writes by `seconds` (0 for none)."""
        self._settings.latency = max(0.0, seconds)
        emit(_log, "sim.engine.fault", kind="slow", seconds=seconds)

    def set_inactivity_timeout(self, seconds: float | None) -> None:
        """Sockets that send nothing for `seconds` get OnSessionTimedOut, then close (None: never)."""
        self._settings.inactivity_timeout = seconds
        for connection in self._entries:
            connection.arm_idle_timer()

    # -- internals -------------------------------------------------------------------------

    def _on_idle_timeout(self, connection: Connection) -> None:
        """A socket timed out for inactivity: its proxy session ends, and with it every other
        socket of that session (each gets OnSessionTimedOut, then the close)."""
        session_id = connection.proxy_session
        if session_id is None:
            return
        for other in self._entries:
            if other is not connection and other.proxy_session == session_id:
                other.time_out()
        if self.on_proxy_session_timed_out is not None:
            self.on_proxy_session_timed_out(session_id)

    def _handle_frame(self, connection: Connection, entry: SessionEntry, data: str | bytes) -> None:
        self.counters["frames_in"] += 1
        entry.last_active = time.time()
        request_id: Json = None
        try:
            request = parse_request(data)
            request_id = request.id
            result = entry.session.call(request)
            if request.delta:
                result = connection.delta.encode(request.handle, request.method, result)
            answer = response(request.id, result, delta=request.delta)
        except RpcError as error:
            answer = error_response(error)
        except Exception:  # a bug in the sim answers like the engine would, the socket lives on
            _log.exception("engine method failed")
            answer = error_response(RpcError(ErrorCode.INTERNAL_ERROR, "", request_id))
        if "error" in answer:
            self.counters["errors"] += 1
        change, close = entry.session.take_changes()
        for app_id in entry.session.reloaded:
            self._announce_reload(app_id, already_told=entry)
        entry.session.reloaded.clear()
        if answer["id"] is not None or "error" in answer:
            connection.send(with_handles(answer, change, close))
        for other in entry.sockets:
            told = other is connection and answer["id"] is not None
            if (change or close) and not told:
                other.send(handles_frame(change, close))
            other.delta.forget(close)

    def _notify(self, connection: Connection, method: str, params: Mapping[str, Json]) -> None:
        connection.send(notification(method, params))
        self.counters["notifications"] += 1

    def _partitioned(self, user: str, identity: str | None, app_id: str | None) -> bool:
        return any(
            (scope_user is None or scope_user == user)
            and (scope_identity is None or scope_identity == identity)
            and (scope_app is None or scope_app == app_id)
            for scope_user, scope_identity, scope_app in self._partition_scopes
        )

    def _select(
        self, user: str | None, identity: str | None, app: str | None = None
    ) -> list[Connection]:
        """The sockets of `user`, `identity` and `app` (None: any)."""
        of_app = None
        if app is not None:
            of_app = {c for e in self._registry.entries() if e.app_id == app for c in e.sockets}
        return [
            connection
            for connection in self._entries
            if (user is None or connection.user == user)
            and (identity is None or connection.identity == identity)
            and (of_app is None or connection in of_app)
        ]

    async def _after_fault(self, kind: str, targets: list[Connection], *, wait: bool = True) -> int:
        emit(_log, "sim.engine.fault", kind=kind, sockets=len(targets))
        if wait and targets:
            waits = [asyncio.ensure_future(connection.finished.wait()) for connection in targets]
            _, late = await asyncio.wait(waits, timeout=_FAULT_WAIT)
            for task in late:
                task.cancel()
        return len(targets)


def _iso(moment: float) -> str:
    return (
        datetime.fromtimestamp(moment, tz=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )
