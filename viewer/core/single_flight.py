"""`SingleFlight`: one run of a coroutine at a time for any number of callers — a caller that
arrives while a run is under way shares that run's outcome instead of starting another (N sheets
needing a sign-in cause one sign-in). A caller that is cancelled leaves the run going for the
others; `close()` ends a run nobody needs any more (shutdown)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SingleFlight(Generic[T]):
    """Calls `work()` for the first caller; later callers await the same run until it ends."""

    def __init__(self, work: Callable[[], Awaitable[T]]) -> None:
        self._work = work
        self._running: asyncio.Task[T] | None = None

    async def __call__(self) -> T:
        if self._running is None or self._running.done():
            self._running = asyncio.get_running_loop().create_task(self._run())
        return await asyncio.shield(self._running)

    async def _run(self) -> T:
        return await self._work()

    async def close(self) -> None:
        """Cancel a run under way and wait until it has ended."""
        running, self._running = self._running, None
        if running is not None and not running.done():
            running.cancel()
            with contextlib.suppress(BaseException):
                await running
