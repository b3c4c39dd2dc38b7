"""What `viewer check` says when a step fails: pure functions from a failure to the sentence and
the next step a Qlik admin understands, kept apart from the steps so the one connect path that
`run` and `check` share can give the same hints."""

from __future__ import annotations

from dataclasses import dataclass

from viewer.core.netfaults import connection_refused, plain_http_reply


@dataclass(frozen=True)
class Diagnosis:
    """A failed step in words: what happened and what to do next."""

    detail: str
    hint: str = ""


FIREWALL_HINT = (
    "Check the port in tenant.base_url, that the site is running and that a firewall lets the "
    "connection through."
)


def connect_failure(error: BaseException, where: str) -> Diagnosis:
    """A TCP or TLS connection to `where` that failed before any HTTP answer."""
    if connection_refused(error):
        return Diagnosis(f"cannot connect to {where}: nothing accepts connections there",
                         FIREWALL_HINT)  # fmt: skip
    if plain_http_reply(error):
        return Diagnosis(
            f"the server speaks plain HTTP on {where}",
            "Use http:// in tenant.base_url, or the port where the site serves HTTPS.",
        )
    reason = getattr(error, "strerror", None) or getattr(error, "reason", None) or str(error)
    return Diagnosis(f"cannot connect to {where} ({reason or type(error).__name__})", FIREWALL_HINT)


def tls_on_a_plain_url(where: str) -> Diagnosis:
    """tenant.base_url says http://, but the server at `where` speaks TLS."""
    return Diagnosis(
        f"the server speaks HTTPS (TLS) on {where}, but tenant.base_url starts with http://",
        "Use https:// in tenant.base_url, or the port where the site serves plain HTTP.",
    )


def untrusted_certificate(where: str, reason: str) -> Diagnosis:
    """The web view's own verification refused the server's certificate."""
    return Diagnosis(
        f"the web view would refuse the certificate of {where}: {reason}",
        "Set network.ca_bundle to the PEM file of the CA that issued the site's certificate "
        "(or add that CA to the operating system's trust store); the certificate must name the "
        "host of tenant.base_url and be within its validity period.",
    )


def engine_open_failure(reason_key: str, message: str) -> Diagnosis:
    """The engine socket did not open; `reason_key` is the close classification's."""
    detail = f"the engine socket did not open: {message}"
    if reason_key.endswith("app_not_found") or reason_key == "http.not_found":
        return Diagnosis(
            detail,
            "Check tenant.app_id: no app with that id exists on this tenant, or this user "
            "cannot see it (space / stream rules).",
        )
    if reason_key.startswith("http.auth") or "auth" in reason_key:
        return Diagnosis(
            detail,
            "The engine refused the session: check the virtual proxy / tenant settings for "
            "this user (licence, access rules).",
        )
    return Diagnosis(
        detail,
        "Check that websockets reach the site (proxies must allow the upgrade) and the "
        "engine's allowed origins / web integration id.",
    )
