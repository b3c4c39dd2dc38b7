"""Page facts as machine events (viewer.core.inputs): a finished load is LIVE material only on
the sheet's own page; a blank page (a history step, `about:blank`) only needs the sheet back; any
other page is where a tenant sends a visitor without a session."""

from __future__ import annotations

from viewer.core import inputs
from viewer.core import state as vs

SHEET = "https://tenant.example.com/single/?appid=a&sheet=s&identity=i"


def test_the_sheet_page_is_loaded() -> None:
    loaded = inputs.from_page_loaded(SHEET.replace("sheet=s", "sheet=s&extra=1"), SHEET)
    assert loaded == vs.PageLoaded()


def test_a_blank_page_after_the_sheet_is_not_live_and_brings_the_sheet_back() -> None:
    for url in ("about:blank", "data:text/html,<p>x</p>"):
        assert inputs.from_page_loaded(url, SHEET) == vs.PageFailed("page.left_sheet")


def test_another_page_of_the_tenant_or_of_its_identity_provider_means_sign_in() -> None:
    for url in ("https://tenant.example.com/login?returnto=x", "https://idp.example.org/auth"):
        assert inputs.from_page_loaded(url, SHEET) == vs.AuthRequired("http.auth_required")


def test_before_any_sheet_url_nothing_is_the_sheet() -> None:
    assert inputs.from_page_loaded(SHEET, None) == vs.AuthRequired("http.auth_required")
