"""The Doc object: an open app's layout and properties, its objects, bookmarks and ClearAll."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping

from viewer.sim.engine.data import App, Json
from viewer.sim.engine.generic_object import GenericObject, check_properties
from viewer.sim.engine.layout import LayoutContext, container_entry, object_type
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
        return LayoutContext(self.app.table, self.session.selections, self.all_objects())

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
                "qLocaleInfo": dict(_LOCALE),
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
                "description": app.description,
            }
        }

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
                container_entry(
                    {
                        "qInfo": {"qId": bookmark.id, "qType": "bookmark"},
                        "qMetaDef": {"title": bookmark.title},
                        "title": bookmark.title,
                    },
                    qOptions.get("qData"),
                )
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


_LOCALE: dict[str, Json] = {
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
