"""The sim as Qlik's own clients use it, over real sockets: the calls enigma.js/nebula.js make on
open (list definitions, list objects, fields, Evaluate, infos, locale, variables), the layouts
visualizations read, reloads, Cloud REST (items, apps, spaces, product info), QRS as clients send
it (Xrfkey, filter=, /count, /full) and the inactivity timeout ending the proxy session."""

from __future__ import annotations

import ssl
import time
from typing import Any

import httpx
import pytest
from websockets.exceptions import WebSocketException

pytestmark = pytest.mark.integration

XRF = "abcdefghijklmnop"


def _bearer(sim: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {sim.credentials['api_key']}"}


class Qix:
    """A raw engine socket that opens the first app and calls methods by handle."""

    def __init__(self, sim: Any, engine_socket: Any, identity: str, app: int = 0) -> None:
        app_id = sim.ready["apps"][app]["id"]
        self.socket = engine_socket(sim.ws_url(f"/app/{app_id}/identity/{identity}"), _bearer(sim))
        assert self.socket.recv_json()["method"] == "OnConnected"
        self.doc = self.handle(self.call(-1, "OpenDoc", [app_id]))

    def call(self, handle: int, method: str, params: Any = None) -> dict[str, Any]:
        answer = self.socket.answer(self.socket.send(method, params or [], handle))
        assert "result" in answer, answer
        result: dict[str, Any] = answer["result"]
        return result

    def error(self, handle: int, method: str, params: Any = None) -> dict[str, Any]:
        answer = self.socket.answer(self.socket.send(method, params or [], handle))
        assert "error" in answer, answer
        error: dict[str, Any] = answer["error"]
        return error

    @staticmethod
    def handle(result: dict[str, Any]) -> int:
        handle = result["qReturn"]["qHandle"]
        assert isinstance(handle, int), result
        return handle

    def session_object(self, properties: dict[str, Any]) -> dict[str, Any]:
        """GetLayout of a session object made from `properties` (as enigma's createSessionObject)."""
        handle = self.handle(self.call(self.doc, "CreateSessionObject", [properties]))
        layout: dict[str, Any] = self.call(handle, "GetLayout")["qLayout"]
        return layout


def test_list_definitions_are_computed(cloud_sim: Any, engine_socket: Any) -> None:
    qix = Qix(cloud_sim, engine_socket, "lists")
    data = {"title": "/qMetaDef/title", "description": "/qMetaDef/description"}
    bookmarks = qix.session_object(
        {
            "qInfo": {"qType": "BookmarkList"},
            "qBookmarkListDef": {"qType": "bookmark", "qData": data},
        }
    )["qBookmarkList"]["qItems"]
    assert [(b["qInfo"]["qId"], b["qData"]["title"]) for b in bookmarks] == [
        ("bm-north", "North only"),
        ("bm-bikes-q1", "Bikes in Q1"),
    ]
    fields = qix.session_object(
        {"qInfo": {"qType": "FieldList"}, "qFieldListDef": {"qShowSystem": False}}
    )["qFieldList"]["qItems"]
    assert [(f["qName"], f["qCardinal"]) for f in fields][:3] == [
        ("Region", 4),
        ("Month", 12),
        ("Product", 5),
    ]
    dimensions = qix.session_object(
        {
            "qInfo": {"qType": "DimensionList"},
            "qDimensionListDef": {"qType": "dimension", "qData": {"title": "/title"}},
        }
    )["qDimensionList"]["qItems"]
    assert [(d["qInfo"]["qId"], d["qData"]["title"]) for d in dimensions] == [
        ("dim-region", "Region")
    ]
    measures = qix.session_object(
        {
            "qInfo": {"qType": "MeasureList"},
            "qMeasureListDef": {"qType": "measure", "qData": {"expression": "/qMeasure/qDef"}},
        }
    )["qMeasureList"]["qItems"]
    assert [m["qData"]["expression"] for m in measures] == ["Sum(Sales)"]
    variables = qix.session_object(
        {
            "qInfo": {"qType": "VariableList"},
            "qVariableListDef": {"qType": "variable", "qShowReserved": False, "qData": {}},
        }
    )["qVariableList"]["qItems"]
    assert {v["qName"]: v["qDefinition"] for v in variables}["vSalesTarget"] == "1500000"
    sheets = qix.session_object(
        {"qInfo": {"qType": "SheetList"}, "qAppObjectListDef": {"qType": "sheet", "qData": data}}
    )["qAppObjectList"]["qItems"]
    assert [s["qInfo"]["qId"] for s in sheets] == [
        s["id"] for s in cloud_sim.ready["apps"][0]["sheets"]
    ]
    assert all(s["qData"]["description"] for s in sheets)


def test_a_list_object_has_states_pages_selections_and_search(
    cloud_sim: Any, engine_socket: Any
) -> None:
    qix = Qix(cloud_sim, engine_socket, "listbox")
    definition = {
        "qInfo": {"qType": "listbox"},
        "qListObjectDef": {
            "qDef": {
                "qFieldDefs": ["Region"],
                "qSortCriterias": [{"qSortByState": 1, "qSortByAscii": 1}],
            },
            "qInitialDataFetch": [{"qTop": 0, "qLeft": 0, "qWidth": 1, "qHeight": 2}],
        },
    }
    handle = qix.handle(qix.call(qix.doc, "CreateSessionObject", [definition]))
    listed = qix.call(handle, "GetLayout")["qLayout"]["qListObject"]
    assert listed["qSize"] == {"qcx": 1, "qcy": 4}
    assert listed["qStateName"] == "$"
    assert listed["qDimensionInfo"]["qCardinal"] == 4
    assert [r[0]["qText"] for r in listed["qDataPages"][0]["qMatrix"]] == ["East", "North"]

    def rows() -> list[tuple[str, str]]:
        page = {"qTop": 0, "qLeft": 0, "qWidth": 1, "qHeight": 10}
        data = qix.call(handle, "GetListObjectData", ["/qListObjectDef", [page]])
        return [(r[0]["qText"], r[0]["qState"]) for r in data["qDataPages"][0]["qMatrix"]]

    assert rows() == [("East", "O"), ("North", "O"), ("South", "O"), ("West", "O")]
    north = next(
        r[0]["qElemNumber"] for r in listed["qDataPages"][0]["qMatrix"] if r[0]["qText"] == "North"
    )
    assert qix.call(handle, "SelectListObjectValues", ["/qListObjectDef", [north], True]) == {
        "qSuccess": True
    }
    assert rows() == [("North", "S"), ("East", "A"), ("South", "A"), ("West", "A")]
    kpi = qix.handle(qix.call(qix.doc, "GetObject", ["kpi-sales"]))
    cube = qix.call(kpi, "GetLayout")["qLayout"]["qHyperCube"]
    assert (
        cube["qGrandTotalRow"][0]["qText"]
        == qix.call(qix.doc, "Evaluate", ["Sum(Sales)"])["qReturn"]
    )
    assert qix.call(handle, "SearchListObjectFor", ["/qListObjectDef", "st"]) == {"qSuccess": True}
    assert [text for text, _ in rows()] == ["East", "West"]
    qix.call(handle, "AcceptListObjectSearch", ["/qListObjectDef", False])
    assert rows() == [("East", "S"), ("West", "S"), ("North", "A"), ("South", "A")]
    qix.call(handle, "ClearSelections", ["/qListObjectDef"])
    assert {state for _, state in rows()} == {"O"}


def test_methods_clients_call_on_open(cloud_sim: Any, engine_socket: Any) -> None:
    qix = Qix(cloud_sim, engine_socket, "on-open")
    properties = qix.call(qix.doc, "GetAppProperties")["qProp"]
    assert properties["qTitle"] == "Sales"
    locale = qix.call(qix.doc, "GetLocaleInfo")["qReturn"]
    assert locale["qDecimalSep"] == "."
    infos = {(i["qId"], i["qType"]) for i in qix.call(qix.doc, "GetAllInfos")["qInfos"]}
    assert {
        ("sales-overview", "sheet"),
        ("bm-north", "bookmark"),
        ("dim-region", "dimension"),
    } <= infos
    objects = qix.call(qix.doc, "GetObjects", [{"qTypes": ["sheet"]}])["qList"]
    assert len(objects) == len(cloud_sim.ready["apps"][0]["sheets"])
    bookmarks = qix.call(qix.doc, "GetBookmarks", [{"qTypes": ["bookmark"], "qData": {}}])["qList"]
    assert [b["qMeta"]["title"] for b in bookmarks] == ["North only", "Bikes in Q1"]
    variable = qix.handle(qix.call(qix.doc, "GetVariableByName", ["vSalesTarget"]))
    assert qix.call(variable, "GetLayout")["qLayout"]["qNum"] == 1500000
    assert qix.call(qix.doc, "GetVariableByName", ["vNope"])["qReturn"]["qHandle"] is None
    field = qix.handle(qix.call(qix.doc, "GetField", ["Product"]))
    assert qix.call(field, "GetCardinal") == {"qReturn": 5}
    assert qix.call(field, "Select", ["Bikes"]) == {"qReturn": True}
    value = [{"qText": "Locks", "qIsNumeric": False}]
    assert qix.call(field, "SelectValues", [value, True]) == {"qReturn": True}
    assert qix.call(qix.doc, "Evaluate", ["GetSelectedCount(Product)"])["qReturn"] == "2"
    assert qix.call(field, "Clear") == {"qReturn": True}
    evaluated = qix.call(qix.doc, "EvaluateEx", ["=Count(distinct Region)"])["qValue"]
    assert (evaluated["qIsNumeric"], evaluated["qNumber"]) == (True, 4)
    bookmark = qix.handle(qix.call(qix.doc, "GetBookmark", ["bm-north"]))
    assert qix.call(bookmark, "Apply") == {"qSuccess": True}
    assert qix.call(qix.doc, "Evaluate", ["GetFieldSelections(Region)"])["qReturn"] == "North"
    assert qix.error(qix.doc, "NoSuchMethod")["code"] == -32601


def test_layouts_carry_what_visualizations_read(cloud_sim: Any, engine_socket: Any) -> None:
    qix = Qix(cloud_sim, engine_socket, "layouts")
    bar = qix.handle(qix.call(qix.doc, "GetObject", ["bar-region"]))
    layout = qix.call(bar, "GetLayout")["qLayout"]
    cube = layout["qHyperCube"]
    assert cube["qSize"] == {"qcx": 2, "qcy": 4}
    assert cube["qStateName"] == "$"
    assert cube["qDimensionInfo"][0]["qCardinalities"] == {
        "qCardinal": 4,
        "qHypercubeCardinal": 4,
        "qAllValuesCardinal": 4,
    }
    values = [row[1]["qNum"] for row in cube["qDataPages"][0]["qMatrix"]]
    measure = cube["qMeasureInfo"][0]
    assert (measure["qMin"], measure["qMax"]) == (min(values), max(values))
    assert cube["qGrandTotalRow"][0]["qNum"] == sum(values)
    assert layout["measureAxis"]["show"] == "all"
    assert layout["dimensionAxis"]["dock"] == "near"
    properties = qix.call(bar, "GetProperties")["qProp"]
    assert properties["visualization"] == "barchart"
    assert properties["qHyperCubeDef"]["qDimensions"][0]["qDef"]["qFieldDefs"] == ["Region"]
    table = qix.handle(qix.call(qix.doc, "GetObject", ["table-product"]))
    assert qix.call(table, "GetLayout")["qLayout"]["totals"]["show"] is True
    kpi = qix.handle(qix.call(qix.doc, "GetObject", ["kpi-sales"]))
    assert qix.call(kpi, "GetLayout")["qLayout"]["showMeasureTitle"] is True
    pane = qix.handle(qix.call(qix.doc, "GetObject", ["filter-sales"]))
    children = qix.call(pane, "GetChildInfos")["qInfos"]
    assert [c["qType"] for c in children] == ["listbox"] * 3
    tree = qix.call(pane, "GetFullPropertyTree")["qPropEntry"]
    assert len(tree["qChildren"]) == 3


def test_a_reload_changes_the_time_and_tells_every_open_client(
    cloud_sim: Any, engine_socket: Any
) -> None:
    watcher = Qix(cloud_sim, engine_socket, "watcher")
    reloader = Qix(cloud_sim, engine_socket, "reloader")
    before = watcher.call(watcher.doc, "GetAppLayout")["qLayout"]["qLastReloadTime"]
    assert reloader.call(reloader.doc, "DoReload", [0, False, False]) == {"qReturn": True}
    deadline = time.monotonic() + 5
    while True:  # the engine's change frame for the Doc handle, without an id
        frame = watcher.socket.recv_json(max(0.01, deadline - time.monotonic()))
        if watcher.doc in frame.get("change", []):
            break
    after = watcher.call(watcher.doc, "GetAppLayout")["qLayout"]["qLastReloadTime"]
    assert after > before
    cloud_sim.client.fault("reload")
    deadline = time.monotonic() + 5
    while True:
        frame = watcher.socket.recv_json(max(0.01, deadline - time.monotonic()))
        if watcher.doc in frame.get("change", []):
            break
    assert watcher.call(watcher.doc, "GetAppLayout")["qLayout"]["qLastReloadTime"] > after
    unknown = httpx.post(f"{cloud_sim.url}/_sim/fault", json={"kind": "reload", "app": "nope"})
    assert unknown.status_code == 400
    assert "nope" in unknown.json()["error"]


def test_cloud_rest_lists_apps_as_items_with_paging_spaces_and_product_info(
    cloud_sim: Any,
) -> None:
    with httpx.Client(base_url=cloud_sim.url, headers=_bearer(cloud_sim), timeout=10) as http:
        first = http.get("/api/v1/items", params={"resourceType": "app", "limit": 3}).json()
        assert len(first["data"]) == 3
        rest = http.get(first["links"]["next"]["href"]).json()
        assert "next" not in rest["links"]
        items = first["data"] + rest["data"]
        assert [i["resourceId"] for i in items] == [a["id"] for a in cloud_sim.ready["apps"]]
        sales = items[0]
        assert sales["resourceType"] == "app"
        attributes = sales["resourceAttributes"]
        assert attributes["lastReloadTime"] == cloud_sim.ready["apps"][0]["last_reload_time"]
        app = http.get(f"/api/v1/apps/{sales['resourceId']}").json()["attributes"]
        assert (app["name"], app["spaceId"]) == ("Sales", sales["spaceId"])
        assert http.get("/api/v1/apps/nope").status_code == 404
        spaces = http.get("/api/v1/spaces").json()["data"]
        assert {s["name"] for s in spaces} == {a["space"] for a in cloud_sim.ready["apps"]}
        in_space = http.get("/api/v1/items", params={"spaceId": sales["spaceId"]}).json()["data"]
        assert {i["resourceAttributes"]["spaceId"] for i in in_space} == {sales["spaceId"]}
        assert http.get("/api/v1/items", params={"limit": 0}).status_code == 400
        assert http.get("/api/v1/items", params={"next": "bogus!"}).status_code == 400
    assert httpx.get(f"{cloud_sim.url}/api/v1/items").status_code == 401
    product = httpx.get(f"{cloud_sim.url}/resources/autogenerated/product-info.json").json()
    assert product["composition"]["productName"] == "Qlik Sense"


def _qps_client(sim: Any) -> httpx.Client:
    credentials = sim.credentials
    verify = ssl.create_default_context(cafile=credentials["ca_cert_path"])
    verify.load_cert_chain(credentials["client_cert_path"], credentials["client_key_path"])
    return httpx.Client(
        base_url=credentials["qps_url"], verify=verify, headers={"X-Qlik-Xrfkey": XRF}, timeout=10
    )


def test_qrs_as_clients_send_it(qseow_sim: Any) -> None:
    with _qps_client(qseow_sim) as qrs:
        assert qrs.get("/qrs/about", params={"Xrfkey": XRF}).status_code == 200
        apps = qrs.get("/qrs/app/full", params={"xrfkey": XRF}).json()
        assert {a["name"] for a in apps} >= {"Sales", "Inventory"}
        assert all(
            a["owner"]["userId"] and a["stream"]["name"] and a["lastReloadTime"] for a in apps
        )

        def names(expression: str) -> list[str]:
            found = qrs.get("/qrs/app", params={"xrfkey": XRF, "filter": expression})
            assert found.status_code == 200, found.text
            return [a["name"] for a in found.json()]

        assert names("name eq 'sales'") == ["Sales"]
        assert names("name sw 'Inv' or name ew 'nce'") == ["Inventory", "Finance"]
        assert names("stream.name eq 'Operations' and not name so 'Service'") == ["Inventory"]
        assert names("(name eq 'Sales' or name eq 'Finance') and published eq true") == [
            "Sales",
            "Finance",
        ]
        count = qrs.get("/qrs/app/count", params={"xrfkey": XRF, "filter": "name so 'e'"})
        assert count.json() == {"value": len(names("name so 'e'"))}
        bad = qrs.get("/qrs/app", params={"xrfkey": XRF, "filter": "name zz 'x'"})
        assert bad.status_code == 400
        assert "zz" in bad.text
        streams = qrs.get("/qrs/stream", params={"xrfkey": XRF}).json()
        assert {s["name"] for s in streams} == {a["space"] for a in qseow_sim.ready["apps"]}
        sheets = qrs.get(
            "/qrs/app/object/full", params={"xrfkey": XRF, "filter": "objectType eq 'sheet'"}
        ).json()
        assert len(sheets) == sum(len(a["sheets"]) for a in qseow_sim.ready["apps"])


def test_inactivity_ends_the_proxy_session(
    cloud_sim: Any, cloud_login: Any, engine_socket: Any
) -> None:
    client = cloud_login("bob")
    csrf = client.get("/api/v1/csrf-token").headers["qlik-csrf-token"]
    cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}
    app_id = cloud_sim.ready["apps"][0]["id"]
    url = cloud_sim.ws_url(f"/app/{app_id}/identity/idle?qlik-csrf-token={csrf}")
    socket = engine_socket(url, cookie)
    assert socket.recv_json()["method"] == "OnConnected"
    assert cloud_sim.client.state()["users"]["bob"]["proxy_sessions"] == 1
    cloud_sim.client.fault("inactivity", seconds=0.3)
    assert socket.recv_json(timeout=5)["method"] == "OnSessionTimedOut"
    socket.closed()
    cloud_sim.client.fault("inactivity", seconds=None)
    assert cloud_sim.client.state()["users"]["bob"]["proxy_sessions"] == 0
    assert client.get("/api/v1/users/me").status_code == 401


def test_qps_without_a_prefix_addresses_the_default_proxy(qseow_sim: Any) -> None:
    with _qps_client(qseow_sim) as qps:
        issued = qps.post(
            "/qps/ticket", params={"Xrfkey": XRF}, json={"UserDirectory": "SIM", "UserId": "dave"}
        )
        assert issued.status_code == 201, issued.text
        ticket = issued.json()["Ticket"]
    prefix = qseow_sim.credentials["virtual_proxy"]["prefix"]
    with httpx.Client(base_url=qseow_sim.url, timeout=10) as http:
        styles = http.get(
            f"/{prefix}/resources/autogenerated/qlik-styles.css", params={"qlikTicket": ticket}
        )
        assert styles.status_code == 200
        assert http.get(f"/{prefix}/qps/user").json()["userId"] == "dave"


def test_tls_on_443_and_origins_without_the_default_port(make_sim: Any, engine_socket: Any) -> None:
    try:
        sim = make_sim("cloud", tls=True, port=443)
    except OSError as error:
        pytest.skip(f"cannot listen on port 443 here ({error}); CI runs as root")
    assert sim.url.endswith(":443")
    app_id = sim.ready["apps"][0]["id"]
    url = sim.ws_url(f"/app/{app_id}")
    for origin in ("https://127.0.0.1", "https://127.0.0.1:443", "HTTPS://127.0.0.1/"):
        socket = engine_socket(url, {**_bearer(sim), "Origin": origin}, ssl=sim.ssl_context())
        assert socket.recv_json()["method"] == "OnConnected", origin
    with pytest.raises(Exception, match="403"):
        engine_socket(
            url, {**_bearer(sim), "Origin": "https://127.0.0.1:8443"}, ssl=sim.ssl_context()
        )


def test_the_engine_port_takes_a_client_certificate_and_x_qlik_user(
    qseow_sim: Any, engine_socket: Any
) -> None:
    credentials = qseow_sim.credentials
    context = ssl.create_default_context(cafile=credentials["ca_cert_path"])
    context.load_cert_chain(credentials["client_cert_path"], credentials["client_key_path"])
    app_id = qseow_sim.ready["apps"][0]["id"]
    url = f"{credentials['engine_url']}/app/{app_id}/identity/server"
    user = {credentials["engine_user_header"]: "UserDirectory=SIM; UserId=svc"}
    socket = engine_socket(url, user, ssl=context)
    assert socket.recv_json()["params"]["qSessionState"] == "SESSION_CREATED"
    answer = socket.answer(socket.send("OpenDoc", [app_id]))
    assert answer["result"]["qReturn"]["qHandle"] == 1
    assert qseow_sim.client.state()["users"]["SIM\\svc"]["engine_sessions"] == 1
    with pytest.raises(Exception, match="401"):
        engine_socket(url, {}, ssl=context)
    without_certificate = ssl.create_default_context(cafile=credentials["ca_cert_path"])
    with pytest.raises((ssl.SSLError, OSError, WebSocketException)):  # TLS 1.3: after handshake
        engine_socket(url, user, ssl=without_certificate)
