"""Typed handles on engine objects (Global, Doc, GenericObject) with the methods the viewer needs
and a generic `call()` for everything else. Each object has `changed` and `closed` listeners."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Protocol, TypeVar

from viewer.core.rpc import JsonObject, Params
from viewer.engine.errors import EngineError, EngineErrorCode, ProtocolViolationError
from viewer.engine.events import Listeners
from viewer.log import get_logger

logger = get_logger("engine")

SHEET_LIST_DEF: Final = {
    "qInfo": {"qType": "SheetList"},
    "qAppObjectListDef": {
        "qType": "sheet",
        "qData": {
            "title": "/qMetaDef/title",
            "description": "/qMetaDef/description",
            "rank": "/rank",
        },
    },
}
BOOKMARK_LIST_DEF: Final = {
    "qInfo": {"qType": "BookmarkList"},
    "qBookmarkListDef": {"qType": "bookmark", "qData": {"title": "/qMetaDef/title"}},
}
THEME_DEF: Final = {
    "qInfo": {"qType": "AppPropsList"},
    "qAppObjectListDef": {"qType": "appprops", "qData": {"theme": "/theme"}},
}


class ObjectSender(Protocol):
    """What an object needs from its session: sending requests and wrapping returned handles."""

    async def send(
        self, obj: ApiObject, method: str, params: Params, *, delta: bool | None
    ) -> JsonObject: ...

    def object_from(self, q_return: object) -> ApiObject | None: ...


Wrapped = TypeVar("Wrapped", bound="ApiObject")


class ApiObject:
    """One engine object. `handle` changes when the session resumes; `id` and `type` do not.

    Calls on an object the engine closed, or that did not survive a resume, raise `EngineError`
    (code -2, object closed) without being sent.
    """

    def __init__(
        self, session: ObjectSender, handle: int, type_: str, id_: str, generic_type: str
    ) -> None:
        self.handle = handle
        self.type = type_
        self.id = id_
        self.generic_type = generic_type
        self.is_closed = False
        self.changed: Listeners[ApiObject] = Listeners(logger)
        self.closed: Listeners[ApiObject] = Listeners(logger)
        self._session = session

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.type} id={self.id!r} handle={self.handle}>"

    async def call(self, method: str, *args: Any, delta: bool | None = None, **named: Any) -> Any:
        """Call any engine method with positional or named parameters; returns the whole result.

        `delta` overrides the session's default for this call.
        """
        if args and named:
            raise TypeError("give engine parameters either by position or by name, not both")
        params: Params = dict(named) if named else list(args)
        return await self._session.send(self, method, params, delta=delta)

    def mark_closed(self) -> None:
        """Called by the session when the object is gone: tell the listeners, then forget them."""
        if self.is_closed:
            return
        self.is_closed = True
        self.closed.emit(self)
        self.changed.clear()
        self.closed.clear()

    def _returned(self, result: JsonObject, kind: type[Wrapped]) -> Wrapped | None:
        """The object in `result["qReturn"]` (None when the engine says it does not exist)."""
        obj = self._session.object_from(result.get("qReturn"))
        if obj is None:
            return None
        if not isinstance(obj, kind):
            raise ProtocolViolationError(f"expected a {kind.__name__}, got {obj!r}")
        return obj


class Global(ApiObject):
    """The Global API (handle -1)."""

    async def open_doc(self, app_id: str, *, no_data: bool = False) -> Doc:
        """Open the app, or get it back when this engine session has it open already."""
        try:
            result = await self.call("OpenDoc", app_id, "", "", "", no_data)
        except EngineError as error:
            if error.code != EngineErrorCode.APP_ALREADY_OPEN:
                raise
            result = await self.call("GetActiveDoc")
        doc = self._returned(result, Doc)
        if doc is None:
            raise ProtocolViolationError(f"OpenDoc {app_id!r} returned no document")
        return doc

    async def get_active_doc(self) -> Doc | None:
        """The app this engine session has open, or None."""
        try:
            result = await self.call("GetActiveDoc")
        except EngineError as error:
            if error.code == EngineErrorCode.APP_INVALID:
                return None
            raise
        return self._returned(result, Doc)

    async def engine_version(self) -> str:
        """The engine's component version, e.g. "12.2000.0"."""
        result = await self.call("EngineVersion")
        return str(result.get("qVersion", {}).get("qComponentVersion", ""))

    async def get_doc_list(self) -> list[JsonObject]:
        """The apps the user can open (qDocList entries)."""
        return list((await self.call("GetDocList")).get("qDocList", []))

    async def is_desktop_mode(self) -> bool:
        """True on Qlik Sense Desktop."""
        return bool((await self.call("IsDesktopMode")).get("qReturn"))


class Doc(ApiObject):
    """An open app."""

    async def get_app_layout(self) -> JsonObject:
        """qTitle, qLastReloadTime, … of the app."""
        return dict((await self.call("GetAppLayout"))["qLayout"])

    async def get_app_properties(self) -> JsonObject:
        """The app's properties (qProp)."""
        return dict((await self.call("GetAppProperties"))["qProp"])

    async def create_session_object(self, properties: Mapping[str, Any]) -> GenericObject:
        """A generic object that lives as long as the engine session."""
        result = await self.call("CreateSessionObject", dict(properties))
        obj = self._returned(result, GenericObject)
        if obj is None:
            raise ProtocolViolationError("CreateSessionObject returned no object")
        return obj

    async def get_object(self, object_id: str) -> GenericObject | None:
        """The generic object with this id, or None when the app has none."""
        return self._returned(await self.call("GetObject", object_id), GenericObject)

    async def destroy_session_object(self, object_id: str) -> bool:
        """Remove a session object; True when it existed."""
        return bool((await self.call("DestroySessionObject", object_id)).get("qSuccess"))

    async def clear_all(self, *, locked_also: bool = False, state: str = "$") -> None:
        """Clear every selection (in one selection state)."""
        await self.call("ClearAll", locked_also, state)

    async def apply_bookmark(self, bookmark_id: str) -> bool:
        """Apply a bookmark's selections; True on success."""
        return bool((await self.call("ApplyBookmark", bookmark_id)).get("qSuccess"))

    async def get_sheet_list(self) -> list[JsonObject]:
        """Every sheet as {"id", "title", "description", "rank"}, in rank order."""
        items = await self._list_items(SHEET_LIST_DEF, "qAppObjectList")
        sheets = [
            {
                "id": item["qInfo"]["qId"],
                "title": item.get("qData", {}).get("title") or item.get("qMeta", {}).get("title"),
                "description": item.get("qData", {}).get("description")
                or item.get("qMeta", {}).get("description"),
                "rank": item.get("qData", {}).get("rank"),
            }
            for item in items
        ]
        return sorted(sheets, key=lambda sheet: _rank(sheet["rank"]))

    async def get_bookmark_list(self) -> list[JsonObject]:
        """Every bookmark as {"id", "title"}."""
        items = await self._list_items(BOOKMARK_LIST_DEF, "qBookmarkList")
        return [
            {"id": item["qInfo"]["qId"], "title": item.get("qData", {}).get("title")}
            for item in items
        ]

    async def get_theme_id(self) -> str | None:
        """The app's theme id from its appprops object, or None."""
        items = await self._list_items(THEME_DEF, "qAppObjectList")
        themes = [item.get("qData", {}).get("theme") for item in items]
        return next((theme for theme in themes if isinstance(theme, str) and theme), None)

    async def _list_items(self, definition: Mapping[str, Any], list_key: str) -> list[Any]:
        """The items of a list session object, which is destroyed again afterwards."""
        lister = await self.create_session_object(definition)
        try:
            layout = await lister.get_layout()
        finally:
            await self.destroy_session_object(lister.id)
        try:
            return list(layout[list_key]["qItems"])
        except (KeyError, TypeError) as error:
            raise ProtocolViolationError(f"list layout without {list_key}.qItems") from error


def _rank(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("inf")


class GenericObject(ApiObject):
    """A generic object: sheet, chart, list, …"""

    async def get_layout(self) -> JsonObject:
        """The object's layout (qLayout), computed with the current selections."""
        return dict((await self.call("GetLayout"))["qLayout"])

    async def get_properties(self) -> JsonObject:
        """The object's properties (qProp)."""
        return dict((await self.call("GetProperties"))["qProp"])

    async def select_hypercube_values(
        self, path: str, dimension: int, values: Sequence[int], *, toggle: bool = False
    ) -> bool:
        """Select rows (by element number) of one hypercube dimension; True on success."""
        result = await self.call("SelectHyperCubeValues", path, dimension, list(values), toggle)
        return bool(result.get("qSuccess"))


OBJECT_CLASSES: Final[Mapping[str, type[ApiObject]]] = {
    "Global": Global,
    "Doc": Doc,
    "GenericObject": GenericObject,
}


def refetch_method(object_type: str) -> str | None:
    """The Doc method that fetches an object of this type by id after a resume, or None when
    objects of this type cannot be fetched back (fields, variables by name)."""
    if object_type in ("Field", "Variable", "Global", "Doc"):
        return None
    if object_type == "GenericVariable":
        return "GetVariableById"
    if object_type.startswith("Generic"):
        return "Get" + object_type.removeprefix("Generic")
    return None
