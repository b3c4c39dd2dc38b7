"""Session events for the application, as typed dataclasses, and a small listener registry that
also offers them as an async iterator. Qt-free: the UI layer subscribes and translates."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeAlias, TypeVar

from viewer.core.closes import CloseClassification

SuspendInitiator: TypeAlias = Literal["manual", "network"]


@dataclass(frozen=True)
class Opened:
    """The socket is open; `session_state` is OnConnected's qSessionState (None if none came)."""

    session_state: str | None


@dataclass(frozen=True)
class Suspended:
    """The socket is gone but the session may come back with `resume()`."""

    initiator: SuspendInitiator
    code: int
    reason: str
    classification: CloseClassification | None = None


@dataclass(frozen=True)
class Resumed:
    """`resume()` succeeded; `attached` is False when the engine created a new session."""

    attached: bool


@dataclass(frozen=True)
class Closed:
    """The session ended for good (including a server's 1000); the classification says why."""

    classification: CloseClassification


@dataclass(frozen=True)
class AuthRequired:
    """The server wants a new sign-in before anything else; always followed by `Closed`."""

    classification: CloseClassification


@dataclass(frozen=True)
class Notification:
    """Any notification the server sent (OnConnected, proxy messages, …)."""

    method: str
    params: Mapping[str, Any] = field(default_factory=dict)


SessionEvent: TypeAlias = Opened | Suspended | Resumed | Closed | AuthRequired | Notification

T = TypeVar("T")


class Listeners(Generic[T]):
    """Callbacks for one kind of event. A failing callback is logged and never stops the others
    (or the socket reader that emitted the event)."""

    def __init__(self, logger: logging.Logger) -> None:
        self._callbacks: list[Callable[[T], None]] = []
        self._logger = logger

    def add(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Register `callback`; returns a function that removes it again."""
        self._callbacks.append(callback)
        return lambda: self._callbacks.remove(callback) if callback in self._callbacks else None

    def emit(self, event: T) -> None:
        """Call every callback with `event`, in registration order."""
        for callback in list(self._callbacks):
            try:
                callback(event)
            except Exception:
                self._logger.exception("an event listener failed on %s", type(event).__name__)

    def clear(self) -> None:
        """Remove every callback."""
        self._callbacks.clear()

    async def stream(self) -> AsyncIterator[T]:
        """The events from now on as an async iterator (stop by breaking out of the loop)."""
        queue: asyncio.Queue[T] = asyncio.Queue()
        remove = self.add(queue.put_nowait)
        try:
            while True:
                yield await queue.get()
        finally:
            remove()
