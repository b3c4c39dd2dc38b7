"""The pure web policy (no Qt needed): navigation verdicts, header scoping, cookie ownership,
crash handling and log-safe URLs."""

from __future__ import annotations

import pytest

from viewer.core.urls import cookie_belongs_to
from viewer.web.policy import (
    NavigationPolicy,
    NavigationVerdict,
    RendererTermination,
    origin_of,
    should_reload,
    url_for_log,
)

TENANT = "https://acme.eu.qlikcloud.com"
POLICY = NavigationPolicy.for_tenant(TENANT, ["https://idp.example.com/"], desktop=True)
KIOSK = NavigationPolicy.for_tenant(TENANT, desktop=False)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://Acme.eu.qlikcloud.com:443/single/?x=1", "https://acme.eu.qlikcloud.com"),
        ("http://127.0.0.1:8080/a", "http://127.0.0.1:8080"),
        ("http://[::1]:80/", "http://[::1]"),
        ("http://host:notaport/", ""),
    ],
)
def test_origin_of(url: str, origin: str) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    ("policy", "url", "main_frame", "link", "verdict"),
    [
        (POLICY, f"{TENANT}/single/?appid=a", True, False, NavigationVerdict.ALLOW),
        (POLICY, "https://idp.example.com/login", True, False, NavigationVerdict.ALLOW),
        (POLICY, "https://evil.example.com/", True, False, NavigationVerdict.BLOCK),
        (POLICY, "https://docs.example.com/", True, True, NavigationVerdict.OPEN_EXTERNALLY),
        (KIOSK, "https://docs.example.com/", True, True, NavigationVerdict.BLOCK),
        (POLICY, "about:blank", False, False, NavigationVerdict.ALLOW),
        (POLICY, "file:///etc/passwd", True, True, NavigationVerdict.BLOCK),
        (POLICY, "http://acme.eu.qlikcloud.com/single/", True, False, NavigationVerdict.BLOCK),
    ],
)
def test_navigation_verdicts(
    policy: NavigationPolicy, url: str, main_frame: bool, link: bool, verdict: NavigationVerdict
) -> None:
    assert policy.verdict(url, main_frame=main_frame, link_clicked=link) is verdict


def test_headers_only_for_the_tenant_origin() -> None:
    headers = {"Authorization": "Bearer t"}
    assert POLICY.headers_for(f"{TENANT}/api/v1/x", headers) == headers
    assert POLICY.headers_for("https://idp.example.com/", headers) == {}
    assert POLICY.headers_for("https://acme.eu.qlikcloud.com.evil.com/", headers) == {}


@pytest.mark.parametrize(
    ("domain", "belongs"),
    [("", True), ("acme.eu.qlikcloud.com", True), (".qlikcloud.com", True),
     ("other.com", False), ("me.eu.qlikcloud.com", False)],
)  # fmt: skip
def test_cookie_belongs_to(domain: str, belongs: bool) -> None:
    assert cookie_belongs_to(domain, "acme.eu.qlikcloud.com") is belongs


def test_only_abnormal_ends_reload() -> None:
    assert not should_reload(RendererTermination.NORMAL)
    assert all(should_reload(t) for t in RendererTermination if t is not RendererTermination.NORMAL)


def test_url_for_log_keeps_only_the_sheet_parameters() -> None:
    url = (
        "https://h/sim/single/?appid=a1&sheet=s1&opt=currsel&qlikTicket=T0p5ecret"
        "&qlik-csrf-token=c5rf&xrfkey=abcdefghijklmnop&unknown=x"
    )
    logged = url_for_log(url)
    assert logged == "https://h/sim/single/?appid=a1&sheet=s1&opt=currsel"
    for secret in ("T0p5ecret", "c5rf", "abcdefghijklmnop"):
        assert secret not in logged


def test_url_for_log_drops_query_and_user_info() -> None:
    assert (
        url_for_log("https://u:p@h:8443/sim/x.css?qlikTicket=abc#f") == "https://h:8443/sim/x.css"
    )
