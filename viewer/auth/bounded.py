"""Reading an HTTP reply with a bound on its decompressed size: every reply the viewer reads
goes through `read_bounded`, so neither a huge body nor a small compression bomb can fill the
process's memory. Past the bound the reply is dropped and `ReplyTooLarge` names the server.

The client asks only for `gzip` and `deflate` (`ACCEPT_ENCODING`), and decompression happens
here, at most `_SLICE` bytes of output per step, so the bound holds inside a single network
read too. Any other content coding, or more than one, is refused: nothing the viewer talks to
needs them.
"""

from __future__ import annotations

import json
import zlib
from typing import TYPE_CHECKING, Final

from viewer.auth.errors import AuthError

if TYPE_CHECKING:
    import httpx

MIB: Final = 1024 * 1024
MAX_REPLY_BYTES: Final = 16 * MIB
"""The most a reply may hold once decompressed (login pages and JSON are far smaller)."""
ACCEPT_ENCODING: Final = "gzip, deflate"
_SLICE: Final = 256 * 1024
# zlib's wbits: 16+ for a gzip wrapper, plain for a zlib-wrapped "deflate", negative for raw.
_WBITS: Final = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS}


class ReplyTooLarge(AuthError):
    """A server sent a reply larger than the viewer reads (or one it cannot decode safely)."""


class _Decoder:
    """Decompresses one content coding with an output bound per step (identity passes)."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._zlib: zlib._Decompress | None = None
        if coding in _WBITS:
            self._zlib = zlib.decompressobj(_WBITS[coding])
        elif coding == "deflate":
            self._zlib = None  # zlib-wrapped or raw: decided on the first bytes
        elif coding not in ("", "identity"):
            raise ValueError(f"content coding {coding!r} is not accepted")

    def feed(self, data: bytes, room: int) -> bytes:
        """The decoded bytes of `data`; raises `OverflowError` once they exceed `room`."""
        if self._coding in ("", "identity"):
            if len(data) > room:
                raise OverflowError
            return data
        if self._zlib is None:  # deflate: a zlib header starts 0x?8 with a valid check
            wrapped = (
                len(data) >= 2 and (data[0] & 0x0F) == 8 and (data[0] << 8 | data[1]) % 31 == 0
            )
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        out = bytearray()
        pending = data
        while True:
            chunk = self._zlib.decompress(pending, _SLICE)
            out += chunk
            if len(out) > room:
                raise OverflowError
            pending = self._zlib.unconsumed_tail
            if not pending:
                return bytes(out)


def _where(request: httpx.Request) -> str:
    port = f":{request.url.port}" if request.url.port else ""
    return f"{request.url.host}{port}{request.url.path}"


def _too_large(request: httpx.Request, limit: int) -> ReplyTooLarge:
    return ReplyTooLarge(
        f"{_where(request)} sent a reply larger than {limit // MIB} MiB (decompressed); the "
        "viewer reads no more than that. Check the server address, and any proxy in between."
    )


async def read_bounded(
    response: httpx.Response, request: httpx.Request, limit: int = MAX_REPLY_BYTES
) -> httpx.Response:
    """Read a streamed `response` whole, decompressed, into a new response holding at most
    `limit` bytes; raise `ReplyTooLarge` (after closing the stream) past it."""
    import httpx

    try:
        already = response.content  # a transport in tests may hand over a read reply
    except httpx.ResponseNotRead:
        pass
    else:
        if len(already) > limit:
            raise _too_large(request, limit)
        return response
    try:
        codings = [
            c.strip().lower()
            for c in response.headers.get("content-encoding", "").split(",")
            if c.strip()
        ]
        if len(codings) > 1:
            raise ValueError("more than one content coding")
        decoder = _Decoder(codings[0] if codings else "")
        declared = response.headers.get("content-length", "")
        if not codings and declared.isdigit() and int(declared) > limit:
            raise OverflowError
        body = bytearray()
        async for raw in response.aiter_raw():
            body += decoder.feed(raw, limit - len(body))
    except OverflowError:
        raise _too_large(request, limit) from None
    except (ValueError, zlib.error) as error:
        raise ReplyTooLarge(
            f"{_where(request)} sent a reply the viewer cannot decode safely ({error})."
        ) from None
    finally:
        await response.aclose()
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=bytes(body),
        request=request,
        extensions=response.extensions,
    )


def reply_json(response: httpx.Response) -> object:
    """The reply's JSON body; `ValueError` when it is not JSON, including JSON nested too
    deep to decode (which `json` reports as a RecursionError)."""
    try:
        return json.loads(response.content)
    except RecursionError:
        raise ValueError("JSON nested too deep") from None
