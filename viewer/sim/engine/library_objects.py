"""Handles on an app's library: variables (GetVariableByName/ById), bookmarks (GetBookmark) and
master dimensions and measures (GetDimension, GetMeasure). Each answers GetLayout and
GetProperties from what the app stores; bookmarks also Apply."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING

from viewer.sim.engine.data import Bookmark, Json, Variable
from viewer.sim.engine.expressions import evaluate
from viewer.sim.engine.layout import variable_properties
from viewer.sim.engine.selection import Selections
from viewer.sim.engine.session import EngineObject, EngineSession, Result, rpc

if TYPE_CHECKING:
    from viewer.sim.engine.doc_object import DocObject


class VariableObject(EngineObject):
    """A script-defined variable."""

    qtype = "GenericVariable"

    def __init__(self, session: EngineSession, doc: DocObject, variable: Variable) -> None:
        super().__init__(session, variable.id, "variable")
        self.doc = doc
        self.variable = variable

    def _properties(self) -> dict[str, Json]:
        return {
            "qInfo": {"qId": self.variable.id, "qType": "variable"},
            "qMetaDef": {},
            **variable_properties(self.variable.name, self.variable.definition),
            "qComment": self.variable.comment,
        }

    @rpc("GetLayout")
    def get_layout(self) -> Result:
        value = evaluate(self.doc.app, self.session.selections, self.variable.definition)
        layout: dict[str, Json] = {
            "qInfo": {"qId": self.variable.id, "qType": "variable"},
            "qMeta": {},
            "qText": value.text,
            "qIsScriptCreated": True,
        }
        if value.number is not None:
            layout["qNum"] = value.number
        return {"qLayout": layout}

    @rpc("GetProperties")
    def get_properties(self) -> Result:
        return {"qProp": self._properties()}

    @rpc("GetInfo")
    def get_info(self) -> Result:
        return {"qInfo": {"qId": self.variable.id, "qType": "variable"}}


class BookmarkObject(EngineObject):
    """A stored bookmark."""

    qtype = "GenericBookmark"

    def __init__(self, session: EngineSession, doc: DocObject, bookmark: Bookmark) -> None:
        super().__init__(session, bookmark.id, "bookmark")
        self.doc = doc
        self.bookmark = bookmark

    @rpc("GetLayout")
    def get_layout(self) -> Result:
        properties = self.bookmark.properties()
        layout = {key: value for key, value in properties.items() if key != "qMetaDef"}
        layout["qMeta"] = properties["qMetaDef"]
        layout["qBookmark"] = {
            "qStateData": [
                {
                    "qStateName": "$",
                    "qFieldItems": [
                        {
                            "qDef": {"qName": name, "qType": "PRESENT"},
                            "qSelectInfo": {"qTextSearch": "", "qNumberFormat": {}},
                            "qValues": [{"qText": v, "qIsNumeric": False} for v in values],
                            "qExcludedValues": [],
                        }
                        for name, values in self.bookmark.selections.items()
                    ],
                }
            ],
            "qUtcModifyTime": 0,
            "qVariableItems": [],
        }
        return {"qLayout": layout}

    @rpc("GetProperties")
    def get_properties(self) -> Result:
        return {"qProp": self.bookmark.properties()}

    @rpc("GetInfo")
    def get_info(self) -> Result:
        return {"qInfo": {"qId": self.bookmark.id, "qType": "bookmark"}}

    @rpc("Apply")
    def apply(self) -> Result:
        self.session.set_selections(Selections(dict(self.bookmark.selections)))
        return {"qSuccess": True}


class MasterItemObject(EngineObject):
    """A master dimension (GenericDimension) or measure (GenericMeasure)."""

    qtype = "GenericDimension"

    def __init__(self, session: EngineSession, properties: Mapping[str, Json], qtype: str) -> None:
        info = properties.get("qInfo", {})
        super().__init__(session, str(info.get("qId", "")), str(info.get("qType", "")))
        self.properties = properties
        self.qtype_name = qtype

    def reference(self) -> Result:
        return {**super().reference(), "qType": self.qtype_name}

    @rpc("GetLayout")
    def get_layout(self) -> Result:
        layout = copy.deepcopy(
            {key: value for key, value in self.properties.items() if key != "qMetaDef"}
        )
        layout["qMeta"] = copy.deepcopy(self.properties.get("qMetaDef", {}))
        dimension = layout.get("qDim")
        if isinstance(dimension, dict):
            fields = dimension.get("qFieldDefs") or []
            layout["qDimInfos"] = [{"qName": name, "qTags": []} for name in fields]
        return {"qLayout": layout}

    @rpc("GetProperties")
    def get_properties(self) -> Result:
        return {"qProp": copy.deepcopy(dict(self.properties))}

    @rpc("GetInfo")
    def get_info(self) -> Result:
        return {"qInfo": copy.deepcopy(self.properties.get("qInfo", {}))}
