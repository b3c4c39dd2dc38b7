"""Engine sessions by (user, identity, app), and how long they outlive their last socket.

A socket with an identity attaches to the session of the same user, identity and app when it is
still alive (SESSION_ATTACHED), otherwise a new one is made (SESSION_CREATED). When the last socket
leaves, the session stays for `ttl` seconds, then it is discarded with everything in it. A socket
without identity gets a private session that ends with the socket.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from viewer.log import emit, get_logger
from viewer.sim.engine.connection import Connection
from viewer.sim.engine.data import App
from viewer.sim.engine.global_object import new_session
from viewer.sim.engine.session import EngineSession

_log = get_logger("sim")
_private_ids = itertools.count(1)

SessionKey = tuple[str, str, str | None]


@dataclass(eq=False)
class SessionEntry:
    """A live engine session and the sockets attached to it right now."""

    key: SessionKey
    identity: str | None
    session: EngineSession
    sockets: set[Connection] = field(default_factory=set)
    created_at: float = field(default_factory=time.time)
    last_active: float = field(default_factory=time.time)
    expiry: asyncio.TimerHandle | None = None

    @property
    def user(self) -> str:
        return self.key[0]

    @property
    def app_id(self) -> str | None:
        return self.key[2]


class SessionRegistry:
    """Creates, attaches and expires engine sessions."""

    def __init__(self, apps: Mapping[str, App], *, ttl: float, counters: Counter[str]) -> None:
        self._apps = apps
        self._ttl = ttl
        self._counters = counters
        self._entries: dict[SessionKey, SessionEntry] = {}

    def attach(
        self, connection: Connection, *, user: str, identity: str | None, app_id: str | None
    ) -> tuple[SessionEntry, bool]:
        """Attach `connection` to its engine session; True when the session already existed."""
        key: SessionKey = (user, identity or f"private-{next(_private_ids)}", app_id)
        entry = self._entries.get(key)
        attached = entry is not None
        if entry is None:
            session = new_session(self._apps, user=user, app_id=app_id)
            entry = SessionEntry(key, identity, session)
            self._entries[key] = entry
            self._counters["sessions_created"] += 1
        else:
            self._counters["sessions_attached"] += 1
            if entry.expiry is not None:
                entry.expiry.cancel()
                entry.expiry = None
        entry.sockets.add(connection)
        emit(_log, "sim.engine.attached", user=user, app=app_id, attached=attached)
        return entry, attached

    def detach(self, entry: SessionEntry, connection: Connection) -> None:
        """The socket ended; a session without sockets lives on for the ttl (private ones don't)."""
        entry.sockets.discard(connection)
        emit(
            _log,
            "sim.engine.detached",
            user=entry.user,
            app=entry.app_id,
            sockets=len(entry.sockets),
        )
        if entry.sockets or self._entries.get(entry.key) is not entry:
            return
        if entry.identity is None or self._ttl <= 0:
            self.discard(entry)
        else:
            loop = asyncio.get_running_loop()
            entry.expiry = loop.call_later(self._ttl, self.discard, entry)

    def discard(self, entry: SessionEntry) -> None:
        """Forget a session and all its state; its sockets (if any) are the caller's business."""
        if self._entries.get(entry.key) is entry:
            del self._entries[entry.key]
            self._counters["sessions_discarded"] += 1
            emit(_log, "sim.engine.discarded", user=entry.user, app=entry.app_id)
        if entry.expiry is not None:
            entry.expiry.cancel()
            entry.expiry = None

    def clear(self) -> list[SessionEntry]:
        """Discard every session (an engine restart); returns what was discarded."""
        entries = list(self._entries.values())
        for entry in entries:
            self.discard(entry)
        return entries

    def entries(self) -> list[SessionEntry]:
        return list(self._entries.values())
