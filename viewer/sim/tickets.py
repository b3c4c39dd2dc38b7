"""Client-managed authentication tickets: issued by the QPS ticket API, redeemed once through
`?qlikTicket=` on the virtual proxy, and void after their lifetime (a minute by default)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from viewer.sim.tenant import Counters, User


@dataclass(frozen=True)
class Ticket:
    """One issued ticket and who it signs in."""

    code: str = field(repr=False)
    user: User
    proxy: str
    attributes: tuple[dict[str, str], ...]
    target_uri: str | None
    expires_at: float


class TicketOffice:
    """Issues and redeems tickets; each ticket works once and only before it expires."""

    def __init__(self, counters: Counters, lifetime: float) -> None:
        self._counters = counters
        self._lifetime = lifetime
        self._open: dict[str, Ticket] = {}

    def issue(
        self,
        user: User,
        proxy: str,
        attributes: list[dict[str, str]],
        target_uri: str | None,
    ) -> Ticket:
        now = time.monotonic()
        self._open = {c: t for c, t in self._open.items() if t.expires_at > now}
        ticket = Ticket(
            code=secrets.token_urlsafe(12),
            user=user,
            proxy=proxy,
            attributes=tuple(attributes),
            target_uri=target_uri,
            expires_at=now + self._lifetime,
        )
        self._open[ticket.code] = ticket
        self._counters.tickets_issued += 1
        return ticket

    def redeem(self, code: str, proxy: str) -> Ticket | None:
        """The ticket, consumed; None when unknown, used, expired or meant for another proxy."""
        ticket = self._open.pop(code, None)
        if ticket is None or ticket.expires_at <= time.monotonic() or ticket.proxy != proxy:
            return None
        self._counters.tickets_redeemed += 1
        return ticket


class LoginTargets:
    """Where the authentication module sends a user back to: `targetId` -> (proxy, URL).
    Only the most recent `capacity` targets are kept, so unauthenticated traffic cannot grow
    it without bound."""

    def __init__(self, capacity: int = 1000) -> None:
        self._capacity = capacity
        self._targets: dict[str, tuple[str, str]] = {}

    def remember(self, proxy: str, url: str) -> str:
        """A new target id for `url` on the virtual proxy `proxy`."""
        target_id = secrets.token_hex(8)
        self._targets[target_id] = (proxy, url)
        while len(self._targets) > self._capacity:
            del self._targets[next(iter(self._targets))]
        return target_id

    def get(self, target_id: str | None) -> tuple[str, str] | None:
        return self._targets.get(target_id) if target_id else None

    def url(self, target_id: str | None) -> str | None:
        found = self.get(target_id)
        return found[1] if found else None

    def forget(self, target_id: str) -> None:
        self._targets.pop(target_id, None)
