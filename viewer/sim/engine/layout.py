"""Layouts of generic objects: properties with every `...Def` replaced by what it computes to.

Supported definitions: qHyperCubeDef, qListObjectDef (list boxes), qSelectionObjectDef (current
selections), qChildListDef (a sheet's or a filter pane's objects) and the lists Qlik's clients
build on open: qAppObjectListDef (sheets, appprops for the theme), qBookmarkListDef,
qFieldListDef, qDimensionListDef, qMeasureListDef and qVariableListDef.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

import jsonpatch

from viewer.sim.engine.data import App, Json, Table
from viewer.sim.engine.hypercube import hypercube_layout
from viewer.sim.engine.listobject import list_object_layout
from viewer.sim.engine.selection import Selections, current_selections

SELECTION_DEPENDENT = frozenset(
    {"qHyperCubeDef", "qListObjectDef", "qSelectionObjectDef", "qFieldListDef"}
)
"""Definitions whose computed value changes with the selections."""


@dataclass(frozen=True)
class LayoutContext:
    """What a layout is computed from: the app (data, master items, bookmarks, variables), the
    selections and the objects of the doc (stored and session objects)."""

    app: App
    selections: Selections
    objects: Mapping[str, Mapping[str, Json]]

    @property
    def table(self) -> Table:
        return self.app.table


def object_layout(
    properties: Mapping[str, Json], context: LayoutContext, *, search: str | None = None
) -> dict[str, Json]:
    """The layout for `properties` (GetLayout's qLayout, without qSelectionInfo); `search` is the
    object's open list-object search, if any."""
    layout: dict[str, Json] = {}
    for key, value in properties.items():
        computed = _computed(key, value, properties, context, search)
        if computed is not None:
            layout.update(computed)
        else:
            layout[key] = copy.deepcopy(value)
    return layout


def _computed(
    key: str,
    value: Json,
    properties: Mapping[str, Json],
    context: LayoutContext,
    search: str | None,
) -> dict[str, Json] | None:
    """The layout entry a `...Def` property computes to; None for plain properties."""
    if key == "qMetaDef":
        return {"qMeta": copy.deepcopy(value)}
    if key == "qSelectionObjectDef":
        return {"qSelectionObject": current_selections(context.table, context.selections)}
    if not isinstance(value, dict):
        return None
    if key == "qHyperCubeDef":
        return {"qHyperCube": hypercube_layout(context.table, context.selections, value)}
    if key == "qListObjectDef":
        layout = list_object_layout(context.table, context.selections, value, search)
        return {"qListObject": layout}
    if key == "qChildListDef":
        return {"qChildList": {"qItems": _child_list(properties, value, context)}}
    lists = {
        "qAppObjectListDef": ("qAppObjectList", _object_list),
        "qBookmarkListDef": ("qBookmarkList", _bookmark_list),
        "qDimensionListDef": ("qDimensionList", _master_list),
        "qMeasureListDef": ("qMeasureList", _master_list),
        "qVariableListDef": ("qVariableList", _variable_list),
        "qFieldListDef": ("qFieldList", _field_list),
    }
    if key in lists:
        name, make = lists[key]
        return {name: {"qItems": make(value, context)}}
    return None


def container_entry(properties: Mapping[str, Json], data_def: Json) -> dict[str, Json]:
    """An NxContainerEntry: qInfo, qMeta and the qData values the `data_def` pointers select."""
    pointers = data_def if isinstance(data_def, dict) else {}
    return {
        "qInfo": copy.deepcopy(properties.get("qInfo", {})),
        "qMeta": copy.deepcopy(properties.get("qMetaDef", {})),
        "qData": {key: resolve(properties, pointer) for key, pointer in pointers.items()},
    }


def resolve(document: Mapping[str, Json], pointer: Json) -> Json:
    """The value a JSON pointer selects in `document`, or None when it selects nothing."""
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        return None
    try:
        return copy.deepcopy(jsonpatch.JsonPointer(pointer).resolve(document, None))
    except jsonpatch.JsonPointerException:
        return None


def object_type(properties: Mapping[str, Json]) -> str:
    info = properties.get("qInfo")
    return str(info.get("qType", "")) if isinstance(info, dict) else ""


def _object_list(definition: Mapping[str, Json], context: LayoutContext) -> list[Json]:
    wanted = definition.get("qType")
    return [
        container_entry(properties, definition.get("qData"))
        for properties in context.objects.values()
        if object_type(properties) == wanted
    ]


def _bookmark_list(definition: Mapping[str, Json], context: LayoutContext) -> list[Json]:
    return [
        container_entry(bookmark.properties(), definition.get("qData"))
        for bookmark in context.app.bookmarks
    ]


def _master_list(definition: Mapping[str, Json], context: LayoutContext) -> list[Json]:
    wanted = definition.get("qType")
    return [
        container_entry(properties, definition.get("qData"))
        for properties in context.app.master_items.values()
        if object_type(properties) == wanted
    ]


def _variable_list(definition: Mapping[str, Json], context: LayoutContext) -> list[Json]:
    return [
        {
            "qName": variable.name,
            "qDefinition": variable.definition,
            "qDescription": variable.comment,
            "qInfo": {"qId": variable.id, "qType": "variable"},
            "qData": {
                key: resolve(variable_properties(variable.name, variable.definition), pointer)
                for key, pointer in _pointers(definition.get("qData")).items()
            },
            "qIsScriptCreated": True,
            "qIsReserved": False,
            "qIsConfig": False,
        }
        for variable in context.app.variables
    ]


def variable_properties(name: str, definition: str) -> dict[str, Json]:
    """A variable's properties (qInfo is added by whoever knows its id)."""
    return {"qName": name, "qDefinition": definition, "qComment": "", "tags": []}


def field_tags(table: Table, name: str) -> list[str]:
    """The engine's tags of a field: `$numeric`/`$integer` or `$ascii`/`$text`."""
    values = table.distinct(name)
    if values and all(isinstance(value, float) for value in values):
        whole = all(float(value).is_integer() for value in values)
        return ["$numeric", "$integer"] if whole else ["$numeric"]
    return ["$ascii", "$text"]


def _field_list(definition: Mapping[str, Json], context: LayoutContext) -> list[Json]:
    table = context.table
    return [
        {
            "qName": name,
            "qCardinal": len(table.distinct(name)),
            "qTags": field_tags(table, name),
            "qSrcTables": ["Data"],
            "qIsSystem": False,
            "qIsHidden": False,
            "qIsSemantic": False,
            "qAndMode": False,
            "qIsDefinitionOnly": False,
            "qIsImplicit": False,
            "qDerivedFieldData": {"qDerivedFieldLists": []},
        }
        for name in table.fields
    ]


def _pointers(data_def: Json) -> dict[str, Json]:
    return data_def if isinstance(data_def, dict) else {}


def child_ids(properties: Mapping[str, Json], context: LayoutContext) -> list[str]:
    """The ids of an object's children: a sheet's cells, or the app's children of the object."""
    cells = properties.get("cells")
    if isinstance(cells, list):
        return [
            str(c["name"]) for c in cells if isinstance(c, dict) and isinstance(c.get("name"), str)
        ]
    info = properties.get("qInfo")
    own_id = info.get("qId") if isinstance(info, dict) else None
    return list(context.app.children.get(str(own_id), ()))


def _child_list(
    properties: Mapping[str, Json], definition: Mapping[str, Json], context: LayoutContext
) -> list[Json]:
    names = child_ids(properties, context)
    return [
        container_entry(context.objects[name], definition.get("qData"))
        for name in names
        if isinstance(name, str) and name in context.objects
    ]
