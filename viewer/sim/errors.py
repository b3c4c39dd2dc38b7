"""Qlik-shaped HTTP error replies: `{"errors":[{"code","title","detail","status"}],"traceId"}`."""

from __future__ import annotations

import secrets

from aiohttp import web


def trace_id() -> str:
    """A fresh 32-hex-digit trace id like the ones Qlik Cloud puts in error bodies."""
    return secrets.token_hex(16)


def qlik_error(status: int, code: str, title: str, detail: str | None = None) -> web.Response:
    """A JSON error response in the shape Qlik's REST APIs use."""
    error: dict[str, str] = {"code": code, "title": title, "status": str(status)}
    if detail is not None:
        error["detail"] = detail
    return web.json_response({"errors": [error], "traceId": trace_id()}, status=status)
