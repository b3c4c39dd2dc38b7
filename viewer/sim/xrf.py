"""The xrfkey check every QRS and QPS call must pass: the `xrfkey` query parameter and the
`X-Qlik-Xrfkey` header carry the same 16 characters [0-9a-zA-Z]. The parameter's name is matched
in any case (clients send `Xrfkey=`), as the Qlik services do."""

from __future__ import annotations

import re
from typing import Final

from aiohttp import web

XRF_HEADER: Final = "X-Qlik-Xrfkey"
XRF_PARAM: Final = "xrfkey"
_SHAPE: Final = re.compile(r"[0-9A-Za-z]{16}")
_FAILED: Final = "XSRF prevention check failed. Possible XSRF discovered."


def xrf_refusal(request: web.Request) -> web.Response | None:
    """None when the request carries a matching xrfkey; otherwise Qlik's 403 reply."""
    in_query = next((v for k, v in request.query.items() if k.lower() == XRF_PARAM), None)
    in_header = request.headers.get(XRF_HEADER)
    if in_query and in_query == in_header and _SHAPE.fullmatch(in_query):
        return None
    return web.Response(status=403, text=_FAILED)
