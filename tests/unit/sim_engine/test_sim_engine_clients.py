"""Pure pieces behind the sim's client fidelity: QRS filter expressions, list objects, Evaluate,
list definitions, reloads, the engine port's X-Qlik-User header and origins without ports."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from viewer.sim.cloud import _origin
from viewer.sim.engine.data import sample_apps
from viewer.sim.engine.expressions import evaluate
from viewer.sim.engine.global_object import new_session
from viewer.sim.engine.listobject import list_object_layout
from viewer.sim.engine.protocol import Request
from viewer.sim.engine.selection import Selections
from viewer.sim.engine_port import parse_user
from viewer.sim.qrs_filter import FilterError, parse

RECORDS = [
    {"name": "Sales", "published": True, "stream": {"name": "Everyone"}, "size": 3},
    {"name": "Inventory", "published": False, "stream": {"name": "Ops"}, "size": 10},
    {"name": "O'Brien", "published": True, "stream": None, "size": 1},
]


def _names(expression: str) -> list[str]:
    predicate = parse(expression)
    return [str(r["name"]) for r in RECORDS if predicate(r)]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("name eq 'SALES'", ["Sales"]),
        ("name ne 'Sales'", ["Inventory", "O'Brien"]),
        ("Name sw 'in'", ["Inventory"]),
        ("name ew 'S'", ["Sales"]),
        ("name so 'ri'", ["O'Brien"]),
        ("name eq 'O''Brien'", ["O'Brien"]),
        ("stream.name eq 'ops'", ["Inventory"]),
        ("published eq true and size gt 2", ["Sales"]),
        ("size le 1 or (stream.name eq 'Ops' and not published eq true)", ["Inventory", "O'Brien"]),
        ("stream eq null", ["O'Brien"]),
    ],
)
def test_qrs_filters(expression: str, expected: list[str]) -> None:
    assert _names(expression) == expected


@pytest.mark.parametrize(
    ("expression", "where"),
    [
        ("name xx 'a'", "unknown operator 'xx' at position 5"),
        ("name eq", "expected 'field operator value'"),
        ("(name eq 'a'", "missing ')'"),
        ("name eq 'a' 'b'", "unexpected 'b' at position 12"),
        ("name eq 'a' & x", "unexpected character at position 12"),
    ],
)
def test_bad_qrs_filters_say_where(expression: str, where: str) -> None:
    with pytest.raises(FilterError, match=where.replace("(", r"\(").replace(")", r"\)")):
        parse(expression)


def test_list_object_states_sort_and_search() -> None:
    table = sample_apps()[0].table
    definition: dict[str, Any] = {
        "qDef": {
            "qFieldDefs": ["Region"],
            "qSortCriterias": [{"qSortByState": 1, "qSortByAscii": 1}],
        },
        "qInitialDataFetch": [{"qTop": 0, "qLeft": 0, "qWidth": 1, "qHeight": 10}],
    }
    selected = Selections({"Region": ("West",)})
    layout = list_object_layout(table, selected, definition)
    matrix = layout["qDataPages"][0]["qMatrix"]
    assert [(r[0]["qText"], r[0]["qState"]) for r in matrix] == [
        ("West", "S"),
        ("East", "A"),
        ("North", "A"),
        ("South", "A"),
    ]
    assert layout["qDimensionInfo"]["qStateCounts"]["qSelected"] == 1
    searched = list_object_layout(table, Selections(), definition, search="*OR*")
    assert [r[0]["qText"] for r in searched["qDataPages"][0]["qMatrix"]] == ["North"]
    assert searched["qSize"]["qcy"] == 1
    unknown = list_object_layout(table, Selections(), {"qDef": {"qFieldDefs": ["Nope"]}})
    assert unknown["qSize"]["qcy"] == 0
    assert "qError" in unknown["qDimensionInfo"]


def test_evaluate() -> None:
    app = sample_apps()[0]
    everything = Selections()
    assert evaluate(app, everything, "=Count(distinct Product)").number == 5
    assert evaluate(app, everything, "ReloadTime()").text == "2026-01-15 06:00:00"
    assert evaluate(app, everything, "DocumentTitle()").text == "Sales"
    assert evaluate(app, everything, "vSalesTarget").number == 1500000
    assert evaluate(app, everything, "$(vCurrency)").text == "EUR"
    assert (
        evaluate(app, Selections({"Region": ("North", "South")}), "GetPossibleCount(Region)").text
        == "2"
    )
    failed = evaluate(app, everything, "Sum(Nope)")
    assert failed.error
    assert failed.ex()["qIsNumeric"] is False


def test_reload_makes_new_data_and_a_later_time_and_reports_every_object_changed() -> None:
    apps = {app.info.id: app for app in sample_apps()}
    sales = next(iter(apps))
    session = new_session(apps, user="alice", app_id=sales)
    session.call(Request(1, -1, "OpenDoc", [sales], delta=False))
    session.call(Request(2, 1, "GetObject", ["kpi-sales"], delta=False))
    session.take_changes()
    before = apps[sales].table
    session.call(Request(3, 1, "DoReload", [], delta=False))
    assert session.take_changes() == ([1, 2], [])
    assert session.reloaded == {sales}
    assert apps[sales].table != before
    stamp = apps[sales].reload(datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert stamp == "2027-01-02T03:04:05.000Z"


def test_list_definitions_of_an_app_without_library_are_empty_lists() -> None:
    apps = {app.info.id: app for app in sample_apps()}
    inventory = list(apps)[1]
    session = new_session(apps, user="alice", app_id=inventory)
    session.call(Request(1, -1, "OpenDoc", [inventory], delta=False))
    for definition, key in (
        ({"qBookmarkListDef": {"qType": "bookmark"}}, "qBookmarkList"),
        ({"qVariableListDef": {"qType": "variable"}}, "qVariableList"),
        ({"qMeasureListDef": {"qType": "measure"}}, "qMeasureList"),
    ):
        created = session.call(
            Request(2, 1, "CreateSessionObject", [{"qInfo": {"qType": "x"}, **definition}], False)
        )
        handle = created["qReturn"]["qHandle"]
        assert session.call(Request(3, handle, "GetLayout", [], False))["qLayout"][key] == {
            "qItems": []
        }


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("UserDirectory=SIM; UserId=alice", ("SIM", "alice")),
        ("userid = bob ;userdirectory=CORP", ("CORP", "bob")),
        ("UserDirectory=SIM", None),
        ("", None),
    ],
)
def test_x_qlik_user(header: str, expected: tuple[str, str] | None) -> None:
    assert parse_user(header) == expected


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("https://Host.example:443", "https://host.example"),
        ("https://host.example/", "https://host.example"),
        ("http://host.example:80", "http://host.example"),
        ("http://host.example:8080", "http://host.example:8080"),
        ("https://[::1]:443", "https://[::1]"),
    ],
)
def test_origins_drop_the_default_port(given: str, normal: str) -> None:
    assert _origin(given) == normal
