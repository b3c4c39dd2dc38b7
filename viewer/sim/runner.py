"""Running the simulated tenant as a program: print the ready line on stdout, serve until
SIGINT or SIGTERM, then stop cleanly."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from typing import Any

from viewer.sim.server import start_sim
from viewer.sim.tenant import Flavor


async def serve_until_signalled(flavor: Flavor, tls: bool, **options: Any) -> int:
    """Run until SIGINT/SIGTERM; returns the exit status (0 after a clean stop)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except NotImplementedError:  # Windows: Ctrl+C arrives as KeyboardInterrupt instead
            continue
        handled.append(signum)
    try:
        async with start_sim(flavor, tls, **options) as sim:
            sys.stdout.write(json.dumps(sim.ready) + "\n")
            sys.stdout.flush()
            await stop.wait()
    except OSError as error:
        sys.stderr.write(f"viewer sim: {error.strerror or error}\n")
        return 2
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
    return 0
