"""Engine sessions without sockets: handles, methods, errors, and which handles change or close."""

from __future__ import annotations

from typing import Any

import pytest

from viewer.sim.engine.data import sample_apps
from viewer.sim.engine.global_object import new_session
from viewer.sim.engine.protocol import ErrorCode, Request, RpcError
from viewer.sim.engine.session import EngineSession

APPS = {app.info.id: app for app in sample_apps()}
SALES, INVENTORY, *_ = list(APPS)


def call(session: EngineSession, method: str, handle: int = -1, *params: Any) -> Any:
    return session.call(Request(1, handle, method, list(params), delta=False))


def error_of(session: EngineSession, method: str, handle: int = -1, *params: Any) -> RpcError:
    with pytest.raises(RpcError) as caught:
        call(session, method, handle, *params)
    return caught.value


def opened(app_id: str | None = SALES) -> EngineSession:
    session = new_session(APPS, user="alice", app_id=app_id)
    call(session, "OpenDoc", -1, SALES)
    session.take_changes()
    return session


def test_open_doc_gives_handle_1_and_reports_it_changed() -> None:
    session = new_session(APPS, user="alice", app_id=SALES)
    result = call(session, "OpenDoc", -1, SALES)
    assert result["qReturn"] == {
        "qType": "Doc",
        "qHandle": 1,
        "qGenericType": "Doc",
        "qGenericId": SALES,
    }
    assert session.take_changes() == ([1], [])
    assert call(session, "GetActiveDoc")["qReturn"]["qHandle"] == 1


def test_open_doc_twice_is_app_already_open() -> None:
    assert error_of(opened(), "OpenDoc", -1, SALES).code is ErrorCode.APP_ALREADY_OPEN


def test_get_active_doc_without_doc_is_app_invalid() -> None:
    session = new_session(APPS, user="alice", app_id=None)
    assert error_of(session, "GetActiveDoc").code is ErrorCode.APP_INVALID


def test_open_doc_of_unknown_or_other_app() -> None:
    bound = new_session(APPS, user="alice", app_id=SALES)
    assert error_of(bound, "OpenDoc", -1, INVENTORY).code is ErrorCode.APP_NOT_FOUND
    global_only = new_session(APPS, user="alice", app_id=None)
    assert error_of(global_only, "OpenDoc", -1, "nope").code is ErrorCode.APP_NOT_FOUND
    assert call(global_only, "OpenDoc", -1, INVENTORY)["qReturn"]["qGenericId"] == INVENTORY


def test_global_methods() -> None:
    session = new_session(APPS, user="alice", app_id=None)
    assert call(session, "EngineVersion")["qVersion"]["qComponentVersion"]
    assert call(session, "IsDesktopMode") == {"qReturn": False}
    docs = call(session, "GetDocList")["qDocList"]
    assert [doc["qDocId"] for doc in docs] == list(APPS)
    assert "UserId=alice" in call(session, "GetAuthenticatedUser")["qReturn"]


def test_unknown_method_and_unknown_handle() -> None:
    session = opened()
    assert error_of(session, "Nope", 1).code is ErrorCode.METHOD_NOT_FOUND
    assert error_of(session, "GetLayout", -1).code is ErrorCode.METHOD_NOT_FOUND
    unknown = error_of(session, "GetLayout", 42)
    assert (unknown.code, unknown.parameter) == (ErrorCode.INVALID_PARAMS, "Invalid handle")


def test_app_layout_has_title_and_last_reload_time() -> None:
    layout = call(opened(), "GetAppLayout", 1)["qLayout"]
    assert layout["qTitle"] == "Sales"
    assert layout["qLastReloadTime"] == APPS[SALES].last_reload_time


def test_get_object_reuses_the_open_handle_and_missing_objects_are_null() -> None:
    session = opened()
    first = call(session, "GetObject", 1, "bar-region")["qReturn"]
    assert first == {
        "qType": "GenericObject",
        "qHandle": 2,
        "qGenericType": "barchart",
        "qGenericId": "bar-region",
    }
    assert call(session, "GetObject", 1, "bar-region")["qReturn"]["qHandle"] == 2
    assert call(session, "GetObject", 1, "nope") == {"qReturn": {"qType": None, "qHandle": None}}


def test_selection_changes_every_dependent_object_and_only_those() -> None:
    session = opened()
    bar = call(session, "GetObject", 1, "bar-region")["qReturn"]["qHandle"]
    table = call(session, "GetObject", 1, "table-product")["qReturn"]["qHandle"]
    call(session, "GetObject", 1, "sales-overview")  # a sheet: not selection dependent
    assert call(session, "SelectHyperCubeValues", bar, "/qHyperCubeDef", 0, [1], False) == {
        "qSuccess": True
    }
    assert session.take_changes() == ([bar, table], [])
    rows = call(session, "GetLayout", bar)["qLayout"]["qHyperCube"]["qDataPages"][0]["qMatrix"]
    assert [row[0]["qText"] for row in rows] == ["South"]
    # selecting the same thing again changes nothing
    call(session, "SelectHyperCubeValues", bar, "/qHyperCubeDef", 0, [1], False)
    assert session.take_changes() == ([], [])


def test_select_with_bad_dimension_or_path() -> None:
    session = opened()
    bar = call(session, "GetObject", 1, "bar-region")["qReturn"]["qHandle"]
    assert error_of(
        session, "SelectHyperCubeValues", bar, "/qHyperCubeDef", 3, [0], False
    ).code is (ErrorCode.INVALID_PARAMS)
    assert error_of(session, "GetHyperCubeData", bar, "/nope", []).code is ErrorCode.NOT_FOUND


def test_current_selections_object_and_clear_all() -> None:
    session = opened()
    created = call(
        session,
        "CreateSessionObject",
        1,
        {"qInfo": {"qType": "CurrentSelections"}, "qSelectionObjectDef": {}},
    )["qReturn"]
    assert created["qGenericType"] == "CurrentSelections"
    call(session, "ApplyBookmark", 1, "bm-north")
    layout = call(session, "GetLayout", created["qHandle"])["qLayout"]
    assert layout["qSelectionObject"]["qSelections"][0]["qSelected"] == "North"
    assert session.take_changes() == ([created["qHandle"]], [])
    call(session, "ClearAll", 1)
    assert session.selections.by_field == {}
    assert call(session, "ApplyBookmark", 1, "nope") == {"qSuccess": False}


def test_sheet_list_and_theme_through_app_object_lists() -> None:
    session = opened()
    sheets = call(
        session,
        "CreateSessionObject",
        1,
        {
            "qInfo": {"qType": "SheetList"},
            "qAppObjectListDef": {"qType": "sheet", "qData": {"title": "/qMetaDef/title"}},
        },
    )["qReturn"]["qHandle"]
    items = call(session, "GetLayout", sheets)["qLayout"]["qAppObjectList"]["qItems"]
    assert [item["qData"]["title"] for item in items] == ["Overview", "Trend", "Products"]
    theme = call(
        session,
        "CreateSessionObject",
        1,
        {
            "qInfo": {"qType": "AppPropsList"},
            "qAppObjectListDef": {"qType": "appprops", "qData": {"theme": "/theme"}},
        },
    )["qReturn"]["qHandle"]
    items = call(session, "GetLayout", theme)["qLayout"]["qAppObjectList"]["qItems"]
    assert items[0]["qData"] == {"theme": "sense"}


def test_sheet_layout_lists_its_children() -> None:
    session = opened()
    sheet = call(session, "GetObject", 1, "sales-overview")["qReturn"]["qHandle"]
    children = call(session, "GetLayout", sheet)["qLayout"]["qChildList"]["qItems"]
    assert [child["qInfo"]["qId"] for child in children] == [
        "kpi-sales",
        "kpi-quantity",
        "bar-region",
        "table-product",
        "filter-sales",
    ]


def test_destroy_session_object_closes_its_handle() -> None:
    session = opened()
    prop = {"qInfo": {"qId": "mine", "qType": "x"}}
    handle = call(session, "CreateSessionObject", 1, prop)["qReturn"]["qHandle"]
    assert error_of(session, "CreateSessionObject", 1, prop).code is ErrorCode.INVALID_PARAMS
    assert call(session, "GetObject", 1, "mine")["qReturn"]["qHandle"] == handle
    assert call(session, "DestroySessionObject", 1, "mine") == {"qSuccess": True}
    assert session.take_changes() == ([], [handle])
    assert call(session, "DestroySessionObject", 1, "mine") == {"qSuccess": False}
    assert error_of(session, "GetLayout", handle).parameter == "Invalid handle"


def test_create_session_object_refuses_bad_properties() -> None:
    session = opened()
    no_type = error_of(session, "CreateSessionObject", 1, {"qInfo": {}})
    assert no_type.code is ErrorCode.INVALID_PARAMS
    bad_fetch = {
        "qInfo": {"qType": "x"},
        "qHyperCubeDef": {"qInitialDataFetch": [{"qHeight": -1}]},
    }
    assert "qHeight" in error_of(session, "CreateSessionObject", 1, bad_fetch).parameter


def test_end_selections_without_accept_restores_the_selections() -> None:
    session = opened()
    bar = call(session, "GetObject", 1, "bar-region")["qReturn"]["qHandle"]
    call(session, "BeginSelections", bar, ["/qHyperCubeDef"])
    assert call(session, "GetLayout", bar)["qLayout"]["qSelectionInfo"] == {"qInSelections": True}
    call(session, "SelectHyperCubeValues", bar, "/qHyperCubeDef", 0, [0], True)
    assert session.selections.by_field == {"Region": ("North",)}
    call(session, "EndSelections", bar, False)
    assert session.selections.by_field == {}
    assert call(session, "GetLayout", bar)["qLayout"]["qSelectionInfo"] == {}


def test_get_hypercube_data_pages_and_set_properties() -> None:
    session = opened()
    table = call(session, "GetObject", 1, "table-product")["qReturn"]["qHandle"]
    pages = call(
        session,
        "GetHyperCubeData",
        table,
        "/qHyperCubeDef",
        [{"qLeft": 0, "qTop": 0, "qWidth": 1, "qHeight": 2}],
    )["qDataPages"]
    assert [row[0]["qText"] for row in pages[0]["qMatrix"]] == ["Bikes", "Gloves"]
    prop = call(session, "GetProperties", table)["qProp"]
    prop["title"] = "Renamed"
    call(session, "SetProperties", table, prop)
    assert session.take_changes() == ([table], [])
    assert call(session, "GetLayout", table)["qLayout"]["title"] == "Renamed"
