"""A misbehaving HTTP server on 127.0.0.1 for the robustness tier: every request gets the reply
of the current `mode` (a gzip bomb, an endless body, a false length, a coding nobody asked for,
a cross-origin redirect, ...), written byte by byte as the test wants it. It records what it was
sent (request heads) and how many body bytes it managed to write, and stops with its context."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import cache

MIB = 1024 * 1024
BOMB_MIB = 256  # what the bombs expand to (the 1 MB bomb expanded to 2.3 GB)


@cache
def gzip_bomb(mib: int = BOMB_MIB) -> bytes:
    """A gzip member of `mib` MiB of zeros (about 1/1000 of that on the wire)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MIB)
    return b"".join(packer.compress(zeros) for _ in range(mib)) + packer.flush()


@cache
def deflate_bomb(mib: int = BOMB_MIB, *, raw: bool = False) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    zeros = bytes(MIB)
    return b"".join(packer.compress(zeros) for _ in range(mib)) + packer.flush()


def _head(status: str, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers), "", ""]
    return "\r\n".join(lines).encode("latin-1")


@dataclass
class Reply:
    """One canned reply: status, headers and body; `endless` streams zeros until the peer goes."""

    status: str = "200 OK"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    endless: bool = False


def reply_for(mode: str) -> Reply:
    """The hostile replies the tier tries (each name is one kind of attack)."""
    json_type = ("Content-Type", "application/json")
    match mode:
        case "gzip-bomb":
            bomb = gzip_bomb()
            return Reply(headers=[json_type, ("Content-Encoding", "gzip"),
                                  ("Content-Length", str(len(bomb)))], body=bomb)  # fmt: skip
        case "deflate-bomb":
            bomb = deflate_bomb()
            return Reply(headers=[json_type, ("Content-Encoding", "deflate"),
                                  ("Content-Length", str(len(bomb)))], body=bomb)  # fmt: skip
        case "raw-deflate-bomb":
            bomb = deflate_bomb(raw=True)
            return Reply(headers=[json_type, ("Content-Encoding", "deflate"),
                                  ("Content-Length", str(len(bomb)))], body=bomb)  # fmt: skip
        case "double-gzip":
            inner = gzip.compress(gzip_bomb())
            return Reply(headers=[json_type, ("Content-Encoding", "gzip, gzip"),
                                  ("Content-Length", str(len(inner)))], body=inner)  # fmt: skip
        case "brotli":
            return Reply(headers=[json_type, ("Content-Encoding", "br"),
                                  ("Content-Length", "4")], body=b"\x00\x01\x02\x03")  # fmt: skip
        case "corrupt-gzip":
            body = b"\x1f\x8b\x08\x00garbage-that-is-not-deflate" * 10
            return Reply(headers=[json_type, ("Content-Encoding", "gzip"),
                                  ("Content-Length", str(len(body)))], body=body)  # fmt: skip
        case "endless-chunked":
            return Reply(headers=[json_type, ("Transfer-Encoding", "chunked")], endless=True)
        case "endless-close":
            return Reply(headers=[json_type, ("Connection", "close")], endless=True)
        case "huge-declared":
            return Reply(headers=[json_type, ("Content-Length", str(200 * MIB))], endless=True)
        case "ok":
            body = b'{"token": "fine"}'
            return Reply(headers=[json_type, ("Content-Length", str(len(body)))], body=body)
    raise ValueError(mode)


HOSTILE_REPLIES = (
    "gzip-bomb", "deflate-bomb", "raw-deflate-bomb", "double-gzip", "brotli", "corrupt-gzip",
    "endless-chunked", "endless-close", "huge-declared",
)  # fmt: skip


@dataclass
class HostileHttp:
    """The server: set `mode` (or `reply`) before a request; `url` once started."""

    mode: str = "ok"
    reply: Reply | None = None
    url: str = ""
    heads: list[str] = field(default_factory=list)
    body_bytes_written: int = 0
    _server: asyncio.Server | None = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            self.heads.append(head.decode("latin-1"))
            reply = self.reply or reply_for(self.mode)
            writer.write(_head(reply.status, reply.headers))
            if reply.endless:
                chunked = ("Transfer-Encoding", "chunked") in reply.headers
                block = bytes(MIB)
                framed = b"%x\r\n%s\r\n" % (len(block), block) if chunked else block
                for _ in range(400):  # at most 400 MiB, however slow the peer is to go
                    writer.write(framed)
                    await writer.drain()
                    self.body_bytes_written += len(block)
            else:
                writer.write(reply.body)
                await writer.drain()
                self.body_bytes_written += len(reply.body)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


@contextlib.asynccontextmanager
async def hostile_http() -> AsyncIterator[HostileHttp]:
    """A running hostile server on 127.0.0.1 (stopped when the block ends)."""
    server = HostileHttp()
    server._server = await asyncio.start_server(server._serve, "127.0.0.1", 0)
    port = server._server.sockets[0].getsockname()[1]
    server.url = f"http://127.0.0.1:{port}"
    try:
        yield server
    finally:
        server._server.close()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await server._server.wait_closed()
