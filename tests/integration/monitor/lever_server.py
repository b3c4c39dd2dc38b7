"""A HealthServer alone in its own process, with a file-descriptor limit of its own, for the
tests that lean on the health port. Prints `{"port": N}` once listening, logs JSON lines at
debug level to stderr, and serves until its stdin closes.

    python -m tests.integration.monitor.lever_server NOFILE MAX_CONNECTIONS HEADER_TIMEOUT_S
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys

from viewer import log
from viewer.monitor.health import HealthServer, ServerLimits, ViewerMetrics


async def serve(max_connections: int, header_timeout_s: float) -> None:
    log.configure(log_format="json", level="DEBUG")
    limits = ServerLimits(max_connections=max_connections, header_timeout_s=header_timeout_s)
    server = HealthServer(ViewerMetrics(["CONNECTING", "LIVE"]), limits=limits)
    port = await server.start()
    print(json.dumps({"port": port}), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await server.stop()


def main() -> None:
    nofile, max_connections, header_timeout_s = sys.argv[1:4]
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (int(nofile), hard))
    asyncio.run(serve(int(max_connections), float(header_timeout_s)))


if __name__ == "__main__":
    main()
