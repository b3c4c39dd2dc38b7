"""A TCP proxy on loopback that can cut the network between the fleet benchmark's displays and
the simulated tenant, the way a real outage does: while cut, nothing passes on open connections
(no data, no FIN, no reset: what was sent waits, as TCP retransmits it, and arrives after the
heal) and new connections get no answer (they are held, never reach the tenant, and are closed
at the heal, as SYNs lost in an outage never arrive).

    python -m tests.bench.fleet_proxy UPSTREAM_PORT

prints `{"port": N}` when listening; then reads `cut` / `heal` lines on stdin (each answered with
`{"ok": ...}`) and stops at end of input. `refuse` instead of `cut` is the other kind of outage:
the tenant is down, so open connections are reset and new ones refused at once until `heal`. It runs in a process of its own so that forwarding
does not compete with the displays' event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import socket
import struct
import sys

CHUNK = 65536


class Proxy:
    def __init__(self, upstream_port: int) -> None:
        self._upstream_port = upstream_port
        self._up = asyncio.Event()
        self._up.set()
        self._refusing = False
        self._open: set[asyncio.StreamWriter] = set()
        self.connections = 0

    def cut(self) -> None:
        self._up.clear()

    def refuse(self) -> None:
        self._refusing = True
        self._up.clear()
        for writer in list(self._open):
            _reset(writer)

    def heal(self) -> None:
        self._refusing = False
        self._up.set()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        if self._refusing:
            _reset(writer)
            return
        self._open.add(writer)
        try:
            if not self._up.is_set():
                await self._up.wait()  # held without an answer, then dropped: a lost SYN
                return
            try:
                up_reader, up_writer = await asyncio.open_connection(
                    "127.0.0.1", self._upstream_port
                )
            except OSError:
                return
            try:
                await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
            finally:
                up_writer.close()
        finally:
            self._open.discard(writer)
            writer.close()

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await source.read(CHUNK)
                await self._up.wait()  # during a cut nothing passes, not even the end
                if not data:
                    break
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(OSError, RuntimeError):
                if sink.can_write_eof():
                    sink.write_eof()
                else:
                    sink.close()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a reset (RST), as a host that is down answers."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def main(upstream_port: int) -> None:
    proxy = Proxy(upstream_port)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        command = line.strip()
        if not line:
            break
        if command == "cut":
            proxy.cut()
        elif command == "refuse":
            proxy.refuse()
        elif command == "heal":
            proxy.heal()
        print(json.dumps({"ok": command, "connections": proxy.connections}), flush=True)
    server.close()


if __name__ == "__main__":
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(main(int(sys.argv[1])))
