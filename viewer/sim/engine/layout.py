"""Layouts of generic objects: properties with every `...Def` replaced by what it computes to.

Supported definitions: qHyperCubeDef, qSelectionObjectDef (current selections), qAppObjectListDef
(e.g. the sheet list, or appprops for the theme) and qChildListDef (a sheet's objects).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

import jsonpatch

from viewer.sim.engine.data import Json, Table
from viewer.sim.engine.hypercube import hypercube_layout
from viewer.sim.engine.selection import Selections, current_selections

SELECTION_DEPENDENT = frozenset({"qHyperCubeDef", "qSelectionObjectDef"})
"""Definitions whose computed value changes with the selections."""


@dataclass(frozen=True)
class LayoutContext:
    """What a layout is computed from: the data, the selections and the objects of the doc."""

    table: Table
    selections: Selections
    objects: Mapping[str, Mapping[str, Json]]


def object_layout(properties: Mapping[str, Json], context: LayoutContext) -> dict[str, Json]:
    """The layout for `properties` (GetLayout's qLayout, without qSelectionInfo)."""
    layout: dict[str, Json] = {}
    for key, value in properties.items():
        if key == "qMetaDef":
            layout["qMeta"] = copy.deepcopy(value)
        elif key == "qHyperCubeDef" and isinstance(value, dict):
            layout["qHyperCube"] = hypercube_layout(context.table, context.selections, value)
        elif key == "qSelectionObjectDef":
            layout["qSelectionObject"] = current_selections(context.table, context.selections)
        elif key == "qAppObjectListDef" and isinstance(value, dict):
            layout["qAppObjectList"] = {"qItems": _object_list(value, context)}
        elif key == "qChildListDef" and isinstance(value, dict):
            layout["qChildList"] = {"qItems": _child_list(properties, value, context)}
        else:
            layout[key] = copy.deepcopy(value)
    return layout


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


def _child_list(
    properties: Mapping[str, Json], definition: Mapping[str, Json], context: LayoutContext
) -> list[Json]:
    cells = properties.get("cells")
    names = (
        [cell.get("name") for cell in cells if isinstance(cell, dict)]
        if isinstance(cells, list)
        else []
    )
    return [
        container_entry(context.objects[name], definition.get("qData"))
        for name in names
        if isinstance(name, str) and name in context.objects
    ]
