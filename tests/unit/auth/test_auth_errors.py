"""Reading what went wrong from Qlik-shaped error bodies and plain replies."""

from __future__ import annotations

import httpx

from viewer.auth.errors import AuthError, server_reason


def test_reason_from_qlik_error_body() -> None:
    response = httpx.Response(
        401,
        json={
            "errors": [
                {
                    "code": "INTERNAL-TOKEN-1",
                    "title": "Unauthorized",
                    "detail": "JWT_LOGIN_VALIDATIONS Missing required claim: nbf",
                    "status": "401",
                }
            ]
        },
    )
    assert server_reason(response) == (
        "JWT_LOGIN_VALIDATIONS Missing required claim: nbf (INTERNAL-TOKEN-1)"
    )


def test_reason_from_short_text_body() -> None:
    response = httpx.Response(403, text="XSRF prevention check failed. Possible XSRF discovered.")
    assert server_reason(response) == "XSRF prevention check failed. Possible XSRF discovered."


def test_html_body_falls_back_to_status() -> None:
    response = httpx.Response(
        502, text="<html><body>Bad gateway</body></html>", headers={"content-type": "text/html"}
    )
    assert server_reason(response) == "HTTP 502 Bad Gateway"


def test_error_messages_are_scrubbed() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"
    assert token not in str(AuthError(f"bad token {token}"))
