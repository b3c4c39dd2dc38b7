"""Running the simulated tenant as a program: print the ready line on stdout, serve until
SIGINT or SIGTERM (or, for a child of the viewer, until its parent's end of stdin closes: a
parent that dies without stopping it leaves no sim behind), then stop cleanly."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import threading
from typing import Any

from viewer.sim.server import start_sim
from viewer.sim.tenant import Flavor


def _stop_at_stdin_eof(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """Set `stop` once stdin reaches end of file (the parent closed it or died)."""

    def wait_for_eof() -> None:
        while sys.stdin.buffer.read(4096):
            pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait_for_eof, name="sim-stdin-watch", daemon=True).start()


async def serve_until_signalled(
    flavor: Flavor, tls: bool, *, stop_on_stdin_eof: bool = False, **options: Any
) -> int:
    """Run until SIGINT/SIGTERM (or stdin's end, when asked); returns the exit status (0 after a
    clean stop)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    if stop_on_stdin_eof:
        _stop_at_stdin_eof(loop, stop)
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
