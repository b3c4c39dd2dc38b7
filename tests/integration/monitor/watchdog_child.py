"""A process that runs the viewer's Watchdog on its event loop, says READY, and after
`HANG_AFTER_S` blocks its loop for good (prints `hanging` first): what a hung viewer looks like
to systemd.

    python -m tests.integration.monitor.watchdog_child HANG_AFTER_S
"""

from __future__ import annotations

import asyncio
import sys
import time

from viewer.monitor.watchdog import Watchdog


def _hang() -> None:
    print("hanging", flush=True)
    time.sleep(3600)


async def main(hang_after_s: float) -> None:
    watchdog = Watchdog()  # NOTIFY_SOCKET and WATCHDOG_USEC from the environment
    watchdog.start()
    watchdog.ready("LIVE")
    asyncio.get_running_loop().call_later(hang_after_s, _hang)
    await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1])))
