"""Generic objects (sheets, charts, list boxes, session objects): layout, properties, children,
hypercube and list-object data, selections and list-object searches."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING

from viewer.sim.engine.data import Json
from viewer.sim.engine.hypercube import data_pages as hypercube_pages
from viewer.sim.engine.hypercube import dimension_fields, page_from_json
from viewer.sim.engine.layout import (
    SELECTION_DEPENDENT,
    LayoutContext,
    child_ids,
    object_layout,
    object_type,
)
from viewer.sim.engine.listobject import list_field, list_object_pages, search_matches
from viewer.sim.engine.protocol import ErrorCode, Param, RpcError
from viewer.sim.engine.selection import Selections, values_for_elements
from viewer.sim.engine.session import EngineObject, EngineSession, Result, rpc

if TYPE_CHECKING:
    from viewer.sim.engine.doc_object import DocObject

HYPERCUBE_PATH = "/qHyperCubeDef"
LIST_OBJECT_PATH = "/qListObjectDef"


class GenericObject(EngineObject):
    """A sheet, chart, list or any session object: layout, properties and hypercube selections."""

    qtype = "GenericObject"

    def __init__(self, session: EngineSession, doc: DocObject, generic_id: str) -> None:
        properties = doc.properties(generic_id) or {}
        super().__init__(session, generic_id, object_type(properties))
        self.doc = doc
        self.selections_before: Selections | None = None
        self.search: str | None = None
        """The open list-object search (SearchListObjectFor) until accepted or aborted."""

    def properties(self) -> Mapping[str, Json]:
        return self.doc.properties(self.generic_id) or {}

    def depends_on_selections(self) -> bool:
        return not SELECTION_DEPENDENT.isdisjoint(self.properties())

    @rpc("GetLayout")
    def get_layout(self) -> Result:
        layout = object_layout(self.properties(), self.doc.layout_context(), search=self.search)
        in_selections = self.selections_before is not None
        layout["qSelectionInfo"] = {"qInSelections": True} if in_selections else {}
        return {"qLayout": layout}

    @rpc("GetProperties")
    def get_properties(self) -> Result:
        return {"qProp": copy.deepcopy(dict(self.properties()))}

    @rpc("GetEffectiveProperties")
    def get_effective_properties(self) -> Result:
        return self.get_properties()  # no master items or extensions: the same properties

    @rpc("GetInfo")
    def get_info(self) -> Result:
        return {"qInfo": {"qId": self.generic_id, "qType": self.generic_type}}

    @rpc("GetChildInfos")
    def get_child_infos(self) -> Result:
        context = self.doc.layout_context()
        return {
            "qInfos": [
                copy.deepcopy(context.objects[child]["qInfo"])
                for child in child_ids(self.properties(), context)
                if child in context.objects
            ]
        }

    @rpc("GetFullPropertyTree")
    def get_full_property_tree(self) -> Result:
        return {"qPropEntry": self._property_tree(self.generic_id)}

    def _property_tree(self, generic_id: str) -> dict[str, Json]:
        context = self.doc.layout_context()
        properties = context.objects.get(generic_id, {})
        return {
            "qProperty": copy.deepcopy(dict(properties)),
            "qChildren": [
                self._property_tree(child)
                for child in child_ids(properties, context)
                if child in context.objects
            ],
            "qEmbeddedSnapshotRef": None,
        }

    @rpc("SetProperties", Param("qProp", dict))
    def set_properties(self, qProp: dict[str, Json]) -> Result:
        properties = copy.deepcopy(qProp)
        properties["qInfo"] = {"qId": self.generic_id, "qType": self.generic_type}
        check_properties(properties, self.doc.layout_context())
        target = (
            self.doc.session_objects
            if self.generic_id in self.doc.session_objects
            else self.doc.edited
        )
        target[self.generic_id] = properties
        self.session.mark_changed([self.handle])
        return {}

    @rpc(
        "GetHyperCubeData",
        Param("qPath", str),
        Param("qPages", list),
    )
    def get_hypercube_data(self, qPath: str, qPages: list[Json]) -> Result:
        definition = self._hypercube(qPath)
        try:
            pages = [page_from_json(page) for page in qPages]
        except ValueError as error:
            raise RpcError(ErrorCode.INVALID_PARAMS, f"qPages: {error}") from None
        context = self.doc.layout_context()
        return {"qDataPages": hypercube_pages(context.table, context.selections, definition, pages)}

    @rpc(
        "SelectHyperCubeValues",
        Param("qPath", str),
        Param("qDimNo", int),
        Param("qValues", list),
        Param("qToggleMode", bool),
    )
    def select_hypercube_values(
        self, qPath: str, qDimNo: int, qValues: list[Json], qToggleMode: bool
    ) -> Result:
        fields = dimension_fields(self._hypercube(qPath))
        if not 0 <= qDimNo < len(fields) or fields[qDimNo] not in self.doc.app.table.fields:
            raise RpcError(ErrorCode.INVALID_PARAMS, f"qDimNo {qDimNo} is not a dimension")
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in qValues):
            raise RpcError(ErrorCode.INVALID_PARAMS, "qValues must be element numbers")
        field = fields[qDimNo]
        values = values_for_elements(self.doc.app.table, field, qValues)
        if qValues and not values:
            return {"qSuccess": False}
        selections = self.session.selections.select(field, values, toggle=qToggleMode)
        self.session.set_selections(selections)
        return {"qSuccess": True}

    @rpc("GetListObjectData", Param("qPath", str), Param("qPages", list))
    def get_list_object_data(self, qPath: str, qPages: list[Json]) -> Result:
        definition = self._list_object(qPath)
        try:
            pages = [page_from_json(page) for page in qPages]
        except ValueError as error:
            raise RpcError(ErrorCode.INVALID_PARAMS, f"qPages: {error}") from None
        table, selections = self.doc.app.table, self.session.selections
        return {"qDataPages": list_object_pages(table, selections, definition, pages, self.search)}

    @rpc(
        "SelectListObjectValues",
        Param("qPath", str),
        Param("qValues", list),
        Param("qToggleMode", bool),
        Param("qSoftLock", bool, False),
    )
    def select_list_object_values(
        self, qPath: str, qValues: list[Json], qToggleMode: bool, qSoftLock: bool
    ) -> Result:
        field = self._list_field(qPath)
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in qValues):
            raise RpcError(ErrorCode.INVALID_PARAMS, "qValues must be element numbers")
        values = values_for_elements(self.doc.app.table, field, qValues)
        if qValues and not values:
            return {"qSuccess": False}
        selections = self.session.selections.select(field, values, toggle=qToggleMode)
        self.session.set_selections(selections)
        return {"qSuccess": True}

    @rpc("SelectListObjectAll", Param("qPath", str), Param("qSoftLock", bool, False))
    def select_list_object_all(self, qPath: str, qSoftLock: bool) -> Result:
        field = self._list_field(qPath)
        values = self.doc.app.table.distinct(field)
        self.session.set_selections(self.session.selections.select(field, values, toggle=False))
        return {"qSuccess": True}

    @rpc("SearchListObjectFor", Param("qPath", str), Param("qMatch", str))
    def search_list_object_for(self, qPath: str, qMatch: str) -> Result:
        self._list_object(qPath)
        self.search = qMatch or None
        self.session.mark_changed([self.handle])
        return {"qSuccess": True}

    @rpc(
        "AcceptListObjectSearch",
        Param("qPath", str),
        Param("qToggleMode", bool),
        Param("qSoftLock", bool, False),
    )
    def accept_list_object_search(self, qPath: str, qToggleMode: bool, qSoftLock: bool) -> Result:
        definition = self._list_object(qPath)
        search, self.search = self.search, None
        self.session.mark_changed([self.handle])
        if search:
            found = search_matches(self.doc.app.table, definition, search)
            field = list_field(definition)
            self.session.set_selections(
                self.session.selections.select(field, found, toggle=qToggleMode)
            )
        return {}

    @rpc("AbortListObjectSearch", Param("qPath", str))
    def abort_list_object_search(self, qPath: str) -> Result:
        self._list_object(qPath)
        self.search = None
        self.session.mark_changed([self.handle])
        return {}

    @rpc("ClearSelections", Param("qPath", str), Param("qColIndices", list, []))
    def clear_selections(self, qPath: str, qColIndices: list[Json]) -> Result:
        if qPath == LIST_OBJECT_PATH:
            field = self._list_field(qPath)
            self.session.set_selections(self.session.selections.cleared([field]))
            return {}
        fields = dimension_fields(self._hypercube(qPath))
        chosen = [fields[i] for i in qColIndices if isinstance(i, int) and 0 <= i < len(fields)]
        self.session.set_selections(self.session.selections.cleared(chosen or fields))
        return {}

    @rpc("BeginSelections", Param("qPaths", list))
    def begin_selections(self, qPaths: list[Json]) -> Result:
        self.selections_before = self.session.selections
        self.session.mark_changed([self.handle])
        return {}

    @rpc("EndSelections", Param("qAccept", bool))
    def end_selections(self, qAccept: bool) -> Result:
        before, self.selections_before = self.selections_before, None
        if before is not None and not qAccept:
            self.session.set_selections(before)
        self.session.mark_changed([self.handle])
        return {}

    def _list_object(self, path: str) -> Mapping[str, Json]:
        definition = self.properties().get("qListObjectDef")
        if path != LIST_OBJECT_PATH or not isinstance(definition, dict):
            raise RpcError(ErrorCode.NOT_FOUND, f"no list object at {path}")
        return definition

    def _list_field(self, path: str) -> str:
        field = list_field(self._list_object(path))
        if field not in self.doc.app.table.fields:
            raise RpcError(ErrorCode.INVALID_PARAMS, f"the list object lists no field ({field})")
        return field

    def _hypercube(self, path: str) -> Mapping[str, Json]:
        definition = self.properties().get("qHyperCubeDef")
        if path != HYPERCUBE_PATH or not isinstance(definition, dict):
            raise RpcError(ErrorCode.NOT_FOUND, f"no hypercube at {path}")
        return definition


def check_properties(properties: Mapping[str, Json], context: LayoutContext) -> None:
    """Refuse properties whose layout cannot be computed (e.g. a malformed qInitialDataFetch)."""
    try:
        object_layout(properties, context)
    except (ValueError, TypeError, AttributeError) as error:
        raise RpcError(ErrorCode.INVALID_PARAMS, f"qProp: {error}") from None
