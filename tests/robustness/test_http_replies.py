"""Issue 13, item 3: every HTTP reply the viewer reads has a bound on its decompressed size, and
a reply past it is a named error (`ReplyTooLarge`), never gigabytes in the process.

The hostile server answers the real auth path (an anonymous sign-in's csrf request, through the
real client factory and `run_flow`) with bombs, endless bodies and codings nobody asked for."""

from __future__ import annotations

import asyncio
import os

import psutil
import pytest
from hostile_http import BOMB_MIB, HOSTILE_REPLIES, MIB, hostile_http

from viewer.auth.anonymous import Anonymous
from viewer.auth.base import Tenant, run_flow
from viewer.auth.bounded import MAX_REPLY_BYTES, ReplyTooLarge
from viewer.auth.http import make_client

pytestmark = pytest.mark.integration


def _rss() -> int:
    return psutil.Process(os.getpid()).memory_info().rss


async def _sign_in(url: str) -> object:
    strategy = Anonymous(Tenant("cloud", url, "wall-1"))
    async with asyncio.timeout(30), make_client() as http:
        return await run_flow(http, strategy.authenticate())


@pytest.mark.parametrize("mode", HOSTILE_REPLIES)
def test_hostile_reply_is_a_named_error_within_the_bound(mode: str) -> None:
    async def main() -> tuple[BaseException | None, int, int]:
        async with hostile_http() as server:
            server.mode = mode
            before = _rss()
            try:
                await _sign_in(server.url)
            except Exception as error:
                return error, _rss() - before, server.body_bytes_written
            return None, _rss() - before, server.body_bytes_written

    error, grown, written = asyncio.run(main())
    assert isinstance(error, ReplyTooLarge), f"{mode}: {error!r}"
    assert "127.0.0.1" in str(error)
    # the bound (16 MiB) plus one decoding step, far below what the bombs expand to
    assert grown < MAX_REPLY_BYTES + 48 * MIB, f"{mode}: the process grew {grown / MIB:.0f} MiB"
    assert written < 200 * MIB, f"{mode}: {written / MIB:.0f} MiB were read"


def test_accept_encoding_names_only_what_is_decoded() -> None:
    async def main() -> str:
        async with hostile_http() as server:
            await _sign_in(server.url)
            return server.heads[-1].lower()

    head = asyncio.run(main())
    assert "accept-encoding: gzip, deflate\r\n" in head


def test_an_ordinary_compressed_reply_still_reads() -> None:
    import gzip

    from hostile_http import Reply

    body = b'{"token": "' + b"x" * 1000 + b'"}'
    packed = gzip.compress(body)

    async def main() -> object:
        async with hostile_http() as server:
            server.reply = Reply(
                headers=[("Content-Type", "application/json"), ("Content-Encoding", "gzip"),
                         ("Content-Length", str(len(packed))), ("qlik-csrf-token", "tok-1")],
                body=packed,
            )  # fmt: skip
            return await _sign_in(server.url)

    grant = asyncio.run(main())
    assert getattr(grant, "csrf_token", None) == "tok-1"


def test_bomb_size_is_what_the_issue_describes() -> None:
    # guard: the bombs really are bombs (small on the wire, large unpacked)
    from hostile_http import gzip_bomb

    assert len(gzip_bomb()) < BOMB_MIB * MIB // 500
