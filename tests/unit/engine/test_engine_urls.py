"""Engine websocket and /single/ URL builders for both flavours."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from viewer.core.urls import UrlError, engine_url, origin_of, single_url


def test_cloud_engine_url_with_identity_integration_id_and_csrf() -> None:
    url = engine_url(
        "https://tenant.eu.qlikcloud.com",
        "abc-123",
        flavor="cloud",
        identity="kiosk 1",
        csrf_token="tok",
        web_integration_id="wid",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("wss", "tenant.eu.qlikcloud.com")
    assert parts.path == "/app/abc-123/identity/kiosk%201"
    assert parse_qsl(parts.query) == [
        ("qlik-web-integration-id", "wid"),
        ("qlik-csrf-token", "tok"),
    ]


def test_qseow_engine_url_with_prefix_ttl_and_reload_uri() -> None:
    url = engine_url(
        "http://sense.local:8080/kiosk/",
        "app1",
        flavor="qseow",
        identity="w1",
        ttl_seconds=60,
        reload_uri="http://sense.local/kiosk/single/",
    )
    parts = urlsplit(url)
    assert parts.scheme == "ws"
    assert parts.path == "/kiosk/app/app1/identity/w1/ttl/60"
    assert dict(parse_qsl(parts.query)) == {"reloadUri": "http://sense.local/kiosk/single/"}


def test_no_app_opens_engine_data() -> None:
    assert engine_url("https://h", None, flavor="cloud") == "wss://h/app/engineData"


@pytest.mark.parametrize(
    ("base", "kwargs"),
    [
        ("ftp://h", {"flavor": "cloud"}),
        ("https://", {"flavor": "cloud"}),
        ("https://h?x=1", {"flavor": "cloud"}),
        ("https://h", {"flavor": "cloud", "ttl_seconds": 5}),
        ("https://h", {"flavor": "qseow", "web_integration_id": "w"}),
        ("https://h", {"flavor": "qseow", "ttl_seconds": -1}),
    ],
)
def test_engine_url_refuses_parts_that_do_not_fit(base: str, kwargs: dict[str, object]) -> None:
    with pytest.raises(UrlError):
        engine_url(base, "app", **kwargs)  # type: ignore[arg-type]


def test_single_url_for_a_sheet_with_every_option() -> None:
    url = single_url(
        "https://sense.local/kiosk",
        "app1",
        sheet="s1",
        identity="w1",
        options=["currsel", "ctxmenu"],
        theme="dark",
        lang="de-DE",
        selections=[("Region", ["North", "South"])],
        bookmark="b1",
    )
    parts = urlsplit(url)
    assert parts.path == "/kiosk/single/"
    assert parse_qsl(parts.query) == [
        ("appid", "app1"),
        ("sheet", "s1"),
        ("identity", "w1"),
        ("opt", "currsel,ctxmenu"),
        ("theme", "dark"),
        ("lang", "de-DE"),
        ("select", "Region,North,South"),
        ("bookmark", "b1"),
    ]


def test_single_url_for_an_object_on_cloud() -> None:
    url = single_url("https://t.qlikcloud.com", "a", obj="o1", web_integration_id="wid")
    assert url == "https://t.qlikcloud.com/single/?appid=a&obj=o1&qlik-web-integration-id=wid"


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"sheet": "s", "obj": "o"}, {"sheet": "s", "selections": [("F", [])]}],
)
def test_single_url_needs_exactly_one_target_and_real_selections(kwargs: dict[str, object]) -> None:
    with pytest.raises(UrlError):
        single_url("https://h", "a", **kwargs)  # type: ignore[arg-type]


def test_origin_is_scheme_host_and_port() -> None:
    assert origin_of("https://sense.local:8443/kiosk") == "https://sense.local:8443"
