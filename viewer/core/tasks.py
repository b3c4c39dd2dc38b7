"""`BackgroundTasks`: work a window starts and does not wait for (close a tab, read an app's
layout, export a sheet), kept so that shutdown can cancel what is still under way and wait for
it to end."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class BackgroundTasks:
    """Runs coroutines as tasks on the running loop; `cancel()` ends those not done yet."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def cancel(self) -> None:
        """Cancel every task still running and wait until all have ended (their exceptions,
        cancellation included, are theirs: none reaches the caller)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
