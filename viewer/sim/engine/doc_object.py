"""The Doc object: an open app's layout and properties, its objects, fields, library (bookmarks,
variables, master items), Evaluate, ClearAll and DoReload."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping

from viewer.sim.engine.data import App, Json, Variable
from viewer.sim.engine.expressions import evaluate
from viewer.sim.engine.field_object import FieldObject
from viewer.sim.engine.generic_object import GenericObject, check_properties
from viewer.sim.engine.layout import LayoutContext, container_entry, object_type
from viewer.sim.engine.library_objects import BookmarkObject, MasterItemObject, VariableObject
from viewer.sim.engine.protocol import ErrorCode, Param, RpcError
from viewer.sim.engine.selection import Selections
from viewer.sim.engine.session import EngineObject, EngineSession, Result, rpc


class DocObject(EngineObject):
    """The open app: its layout, its objects, bookmarks and selections."""

    qtype = "Doc"

    def __init__(self, session: EngineSession, app: App) -> None:
        super().__init__(session, app.info.id, "Doc")
        self.app = app
        self.session_objects: dict[str, Mapping[str, Json]] = {}
        self.edited: dict[str, Mapping[str, Json]] = {}

    def properties(self, generic_id: str) -> Mapping[str, Json] | None:
        """Current properties of an app or session object (None when there is no such object)."""
        for source in (self.session_objects, self.edited, self.app.objects):
            if generic_id in source:
                return source[generic_id]
        return None

    def all_objects(self, *, with_session_objects: bool = True) -> dict[str, Mapping[str, Json]]:
        objects = {**self.app.objects, **self.edited}
        if with_session_objects:
            objects.update(self.session_objects)
        return objects

    def layout_context(self) -> LayoutContext:
        return LayoutContext(self.app, self.session.selections, self.all_objects())

    @rpc("GetAppLayout")
    def get_app_layout(self) -> Result:
        app = self.app
        return {
            "qLayout": {
                "qTitle": app.info.name,
                "qFileName": app.info.id,
                "qLastReloadTime": app.last_reload_time,
                "qModified": False,
                "qHasScript": True,
                "qStateNames": [],
                "qMeta": {"description": app.description, "privileges": ["read"]},
                "qLocaleInfo": dict(LOCALE),
                "qHasData": True,
                "qReadOnly": False,
                "qIsOpenedWithoutData": False,
                "qIsSessionApp": False,
                "qThumbnail": {"qUrl": ""},
                "qUnsupportedFeatures": [],
                "qUsage": "ANALYTICS",
                "description": app.description,
            }
        }

    @rpc("GetAppProperties")
    def get_app_properties(self) -> Result:
        app = self.app
        return {
            "qProp": {
                "qTitle": app.info.name,
                "qLastReloadTime": app.last_reload_time,
                "qThumbnail": {"qUrl": ""},
                "qHasSectionAccess": False,
                "qMigrationHash": "",
                "qSavedInProductVersion": "14.254.6",
                "description": app.description,
                "sheetTitleBgColor": "#f2f2f2",
                "sheetTitleColor": "#404040",
                "sheetTitleGradientColor": "#f2f2f2",
                "sheetLogoPosition": "0",
            }
        }

    @rpc("GetLocaleInfo")
    def get_locale_info(self) -> Result:
        return {"qReturn": dict(LOCALE)}

    @rpc("GetAllInfos")
    def get_all_infos(self) -> Result:
        stored = [properties.get("qInfo", {}) for properties in self.all_objects().values()]
        library = [properties.get("qInfo", {}) for properties in self.app.master_items.values()]
        bookmarks = [{"qId": b.id, "qType": "bookmark"} for b in self.app.bookmarks]
        variables = [{"qId": v.id, "qType": "variable"} for v in self.app.variables]
        return {
            "qInfos": [copy.deepcopy(info) for info in stored + library + bookmarks + variables]
        }

    @rpc("GetField", Param("qFieldName", str), Param("qStateName", str, ""))
    def get_field(self, qFieldName: str, qStateName: str) -> Result:
        if qFieldName not in self.app.table.fields:
            return {"qReturn": {"qType": None, "qHandle": None}}
        return {
            "qReturn": self.session.add(FieldObject(self.session, self, qFieldName)).reference()
        }

    @rpc("Evaluate", Param("qExpression", str))
    def evaluate(self, qExpression: str) -> Result:
        return {"qReturn": evaluate(self.app, self.session.selections, qExpression).text}

    @rpc("EvaluateEx", Param("qExpression", str))
    def evaluate_ex(self, qExpression: str) -> Result:
        return {"qValue": evaluate(self.app, self.session.selections, qExpression).ex()}

    @rpc("GetVariableByName", Param("qName", str))
    def get_variable_by_name(self, qName: str) -> Result:
        return self._variable(lambda variable: variable.name == qName)

    @rpc("GetVariableById", Param("qId", str))
    def get_variable_by_id(self, qId: str) -> Result:
        return self._variable(lambda variable: variable.id == qId)

    def _variable(self, wanted: Callable[[Variable], bool]) -> Result:
        for variable in self.app.variables:
            if wanted(variable):
                obj = self.session.add(VariableObject(self.session, self, variable))
                return {"qReturn": obj.reference()}
        return {"qReturn": {"qType": None, "qHandle": None}}

    @rpc("GetBookmark", Param("qId", str))
    def get_bookmark(self, qId: str) -> Result:
        for bookmark in self.app.bookmarks:
            if bookmark.id == qId:
                obj = self.session.add(BookmarkObject(self.session, self, bookmark))
                return {"qReturn": obj.reference()}
        return {"qReturn": {"qType": None, "qHandle": None}}

    @rpc("GetDimension", Param("qId", str))
    def get_dimension(self, qId: str) -> Result:
        return self._master_item(qId, "dimension", "GenericDimension")

    @rpc("GetMeasure", Param("qId", str))
    def get_measure(self, qId: str) -> Result:
        return self._master_item(qId, "measure", "GenericMeasure")

    def _master_item(self, item_id: str, kind: str, qtype: str) -> Result:
        properties = self.app.master_items.get(item_id)
        if properties is None or object_type(properties) != kind:
            return {"qReturn": {"qType": None, "qHandle": None}}
        obj = self.session.add(MasterItemObject(self.session, properties, qtype))
        return {"qReturn": obj.reference()}

    @rpc(
        "DoReload",
        Param("qMode", int, 0),
        Param("qPartial", bool, False),
        Param("qDebug", bool, False),
    )
    def do_reload(self, qMode: int, qPartial: bool, qDebug: bool) -> Result:
        self._reload()
        return {"qReturn": True}

    @rpc("DoReloadEx", Param("qParams", dict, {}))
    def do_reload_ex(self, qParams: dict[str, Json]) -> Result:
        self._reload()
        return {"qResult": {"qSuccess": True, "qScriptLogFile": ""}}

    def _reload(self) -> None:
        self.app.reload()
        self.session.reloaded.add(self.app.info.id)
        self.session.data_changed()

    @rpc("CreateSessionObject", Param("qProp", dict))
    def create_session_object(self, qProp: dict[str, Json]) -> Result:
        properties = copy.deepcopy(qProp)
        info = properties.get("qInfo")
        if (
            not isinstance(info, dict)
            or not isinstance(info.get("qType"), str)
            or not info["qType"]
        ):
            raise RpcError(ErrorCode.INVALID_PARAMS, "qProp.qInfo.qType is required")
        if not info.get("qId"):
            info["qId"] = uuid.uuid4().hex[:8]
        generic_id = str(info["qId"])
        if self.properties(generic_id) is not None:
            raise RpcError(ErrorCode.INVALID_PARAMS, f"an object with qId {generic_id} exists")
        check_properties(properties, self.layout_context())
        self.session_objects[generic_id] = properties
        obj = self.session.add(GenericObject(self.session, self, generic_id))
        return {"qReturn": obj.reference()}

    @rpc("GetObject", Param("qId", str))
    def get_object(self, qId: str) -> Result:
        obj = self.session.open_handle(qId)
        if obj is None and self.properties(qId) is not None:
            obj = self.session.add(GenericObject(self.session, self, qId))
        if obj is None:
            return {"qReturn": {"qType": None, "qHandle": None}}
        return {"qReturn": obj.reference()}

    @rpc("DestroySessionObject", Param("qId", str))
    def destroy_session_object(self, qId: str) -> Result:
        if self.session_objects.pop(qId, None) is None:
            return {"qSuccess": False}
        obj = self.session.open_handle(qId)
        if obj is not None:
            self.session.remove(obj.handle)
        return {"qSuccess": True}

    @rpc("GetObjects", Param("qOptions", dict))
    def get_objects(self, qOptions: dict[str, Json]) -> Result:
        types = [kind for kind in qOptions.get("qTypes") or [] if kind]
        objects = self.all_objects(
            with_session_objects=qOptions.get("qIncludeSessionObjects") is True
        )
        return {
            "qList": [
                container_entry(properties, qOptions.get("qData"))
                for properties in objects.values()
                if not types or object_type(properties) in types
            ]
        }

    @rpc("GetBookmarks", Param("qOptions", dict))
    def get_bookmarks(self, qOptions: dict[str, Json]) -> Result:
        return {
            "qList": [
                container_entry(bookmark.properties(), qOptions.get("qData"))
                for bookmark in self.app.bookmarks
            ]
        }

    @rpc("ApplyBookmark", Param("qId", str))
    def apply_bookmark(self, qId: str) -> Result:
        for bookmark in self.app.bookmarks:
            if bookmark.id == qId:
                self.session.set_selections(Selections(dict(bookmark.selections)))
                return {"qSuccess": True}
        return {"qSuccess": False}

    @rpc("ClearAll", Param("qLockedAlso", bool, False), Param("qStateName", str, ""))
    def clear_all(self, qLockedAlso: bool, qStateName: str) -> Result:
        self.session.set_selections(Selections())
        return {}


LOCALE: dict[str, Json] = {
    "qDecimalSep": ".",
    "qThousandSep": ",",
    "qListSep": ",",
    "qMoneyDecimalSep": ".",
    "qMoneyThousandSep": ",",
    "qMoneyFmt": "$#,##0.00;-$#,##0.00",
    "qTimeFmt": "h:mm:ss TT",
    "qDateFmt": "YYYY-MM-DD",
    "qTimestampFmt": "YYYY-MM-DD h:mm:ss[.fff] TT",
    "qFirstWeekDay": 0,
    "qBrokenWeeks": False,
    "qReferenceDay": 4,
    "qFirstMonthOfYear": 1,
    "qCollation": "en-US",
    "qNumericalAbbreviation": "3:k;6:M;9:G;12:T",
}
