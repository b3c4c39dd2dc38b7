"""What every feature is (`Feature`: start, close) and the common shape of the periodic ones
(`Periodic`: a task that does one step every few seconds until closed)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Protocol


class Feature(Protocol):
    """A piece of behaviour that starts itself and closes itself."""

    async def start(self) -> None:
        """Begin (on the running loop)."""

    async def close(self) -> None:
        """Stop and release what `start` took."""


class Periodic:
    """A feature that calls `step()` every `interval_s` seconds while started."""

    interval_s: float = 5.0

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def restart(self) -> None:
        """Begin the cadence again from now (the next step comes `interval_s` from now)."""
        if self._task is not None:
            self._task.cancel()
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            self.step()

    def step(self) -> None:
        """One round of the feature's work."""
