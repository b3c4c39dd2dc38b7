"""Unit tests of viewer.sim.page: link parsing, validation against the apps, and the HTML."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from multidict import MultiDict

from viewer.core.resources import resources_dir
from viewer.sim import page
from viewer.sim.engine.data import sample_apps

APPS = sample_apps()
SALES = APPS[0]


def _query(**params: str | list[str]) -> MultiDict[str]:
    query: MultiDict[str] = MultiDict()
    for key, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            query.add(key, item)
    return query


def _get(path: str, app: web.Application | None = None) -> web.Response:
    request = make_mocked_request("GET", path, app=app)
    return asyncio.run(page.single_page(request, APPS))


def _config(body: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="sim-config">(.*?)</script>', body)
    assert match is not None, "the page carries no config"
    config: dict[str, object] = json.loads(match.group(1))
    return config


def test_resources_dir_is_the_projects_resources_folder() -> None:
    assert (resources_dir() / "sim" / "single" / "single.html").is_file()
    for asset in ("single.js", "qix.js", "jsonpatch.js", "render.js", "single.css"):
        assert (page.assets_dir() / asset).is_file(), asset


def test_a_link_without_appid_is_a_bad_request() -> None:
    with pytest.raises(page.PageError) as raised:
        page.parse_link(_query(sheet="x"))
    assert (raised.value.status, raised.value.code) == (400, "missing-app")


def test_link_parameters_are_read_like_qlik_reads_them() -> None:
    link = page.parse_link(
        _query(
            appid=" a1 ",
            sheet="s1",
            identity="wall-1",
            opt="currsel,ctxmenu",
            theme="dark",
            lang="de-DE",
            select=["$::Region,North,South", "Product,Bikes"],
            bookmark="bm-north",
        )
    )
    assert link.app_id == "a1"
    assert (link.sheet_id, link.identity, link.bookmark) == ("s1", "wall-1", "bm-north")
    assert link.options == ("currsel",)
    assert (link.theme, link.lang) == ("dark", "de")
    assert link.selections == (
        page.FieldSelection("Region", ("North", "South")),
        page.FieldSelection("Product", ("Bikes",)),
    )
    assert link.warnings == ("opt: unknown option ctxmenu",)


def test_bad_optional_parameters_are_dropped_with_a_warning() -> None:
    link = page.parse_link(_query(appid="a", theme="neon", select=["Region", ",x"], lang="fr"))
    assert link.theme is None
    assert link.selections == ()
    assert link.lang == "en"
    assert len(link.warnings) == 3
    assert any("theme" in w for w in link.warnings)


@pytest.mark.parametrize(
    ("params", "code", "subject"),
    [
        ({"appid": "nope"}, "app-not-found", "nope"),
        ({"sheet": "nope"}, "sheet-not-found", "nope"),
        ({"obj": "nope"}, "object-not-found", "nope"),
    ],
)
def test_what_the_apps_do_not_have_is_not_found(
    params: dict[str, str], code: str, subject: str
) -> None:
    link = page.parse_link(_query(**{"appid": SALES.info.id, **params}))
    with pytest.raises(page.PageError) as raised:
        page.resolve(link, APPS)
    assert (raised.value.status, raised.value.code, raised.value.subject) == (404, code, subject)


def test_a_link_without_sheet_shows_the_first_sheet() -> None:
    title, sheet_id = page.resolve(page.parse_link(_query(appid=SALES.info.id)), APPS)
    assert sheet_id == SALES.info.sheets[0].id
    assert title == f"Sales - {SALES.info.sheets[0].title}"


def test_an_object_link_shows_no_sheet() -> None:
    link = page.parse_link(_query(appid=SALES.info.id, obj="bar-region"))
    assert page.resolve(link, APPS) == ("Sales - Sales by region", None)


def test_the_page_carries_what_its_script_needs() -> None:
    sheet = SALES.info.sheets[1].id
    response = _get(f"/sim/single/?appid={SALES.info.id}&sheet={sheet}&identity=w1&opt=currsel")
    assert response.status == 200
    assert response.content_type == "text/html"
    body = response.text or ""
    assert 'data-state="loading"' in body
    assert 'src="/resources/sim/single/single.js"' in body
    config = _config(body)
    assert config["appId"] == SALES.info.id
    assert config["sheetId"] == sheet
    assert config["identity"] == "w1"
    assert config["prefix"] == "/sim"
    assert config["csrfPaths"] == ["/sim/qps/csrftoken", "/api/v1/csrf-token"]
    assert config["options"] == ["currsel"]
    assert config["labels"] == page.labels_for("en")


def test_the_cloud_page_asks_clouds_csrf_endpoint_first() -> None:
    config = _config(_get(f"/single/?appid={SALES.info.id}").text or "")
    assert config["prefix"] == ""
    assert config["csrfPaths"] == ["/api/v1/csrf-token", "/qps/csrftoken"]


def test_parameters_cannot_break_out_of_the_config_script() -> None:
    evil = "</script><script>alert(1)</script>"
    response = _get(f"/single/?appid={SALES.info.id}&identity={evil}")
    body = response.text or ""
    assert "<script>alert(1)" not in body
    assert _config(body)["identity"] == evil


def test_an_unknown_app_gets_a_localized_error_page() -> None:
    response = _get("/single/?appid=nope&lang=de")
    assert response.status == 404
    body = response.text or ""
    assert 'data-state="error"' in body
    assert 'data-error="app-not-found"' in body
    assert page.fill(page.labels_for("de")["appNotFound"], id="nope") in body
    assert "Nicht gefunden" in body


def test_a_link_without_app_gets_a_bad_request_page() -> None:
    response = _get("/single/")
    assert response.status == 400
    assert 'data-error="missing-app"' in (response.text or "")


def test_every_language_has_every_label() -> None:
    english = set(page.labels_for("en"))
    assert set(page.labels_for("de")) == english
    assert page.labels_for("de")["clearAll"] != page.labels_for("en")["clearAll"]


def test_static_routes_serve_the_assets_where_the_page_links_them() -> None:
    app = web.Application()
    page.add_static_routes(app, prefix="/sim")
    resources = [r for r in app.router.resources() if isinstance(r, web.StaticResource)]
    assert [r.canonical for r in resources] == ["/sim/resources/sim/single"]
    body = _get(f"/sim/single/?appid={SALES.info.id}", app=app).text or ""
    assert 'href="/sim/resources/sim/single/single.css"' in body


def test_fill_leaves_no_placeholder_behind() -> None:
    assert page.fill("code {code} {missing}", code="4204") == "code 4204 "
