"""The HTML sign-in form that stands in for an identity provider (Cloud) or an authentication
module (client-managed): user name, password and hidden fields carried through the POST."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from aiohttp import web


def login_form(
    action: str, hidden: Mapping[str, str], *, error: str | None = None, status: int = 200
) -> web.Response:
    """The form page; `error` is shown above the fields (with status 401 after a bad password)."""
    fields = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items()
    )
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Sign in</title></head>"
        "<body><main><h1>Sign in to the simulated Qlik tenant</h1>"
        f"{problem}<form method='post' action='{escape(action)}'>{fields}"
        "<label>User <input name='username' autocomplete='username' autofocus required></label>"
        "<label>Password <input name='password' type='password' "
        "autocomplete='current-password' required></label>"
        "<button type='submit'>Sign in</button></form></main></body></html>"
    )
    return web.Response(text=body, content_type="text/html", status=status)
