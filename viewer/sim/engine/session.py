"""The core of an engine session: handles, dispatch of requests to methods, change tracking.

An `EngineSession` owns the handles, the open doc and the selections. It is pure: `call(request)`
returns a result or raises `RpcError`, and collects which handles changed or closed so that the
hub can tell every socket of the session. Objects declare their methods with `@rpc`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar

from viewer.sim.engine.data import App, Json
from viewer.sim.engine.protocol import ErrorCode, Param, Request, RpcError, bind_params
from viewer.sim.engine.selection import Selections

if TYPE_CHECKING:
    from viewer.sim.engine.doc_object import DocObject

Result = dict[str, Json]
_Handler = TypeVar("_Handler", bound=Callable[..., Result])
_Object = TypeVar("_Object", bound="EngineObject")


def rpc(name: str, *params: Param) -> Callable[[_Handler], _Handler]:
    """Declare a method handler: the QIX method name and its input params (in schema order)."""

    def mark(handler: _Handler) -> _Handler:
        handler.__dict__["rpc"] = (name, params)
        return handler

    return mark


class EngineObject:
    """Something a handle points at. Subclasses declare their methods with `@rpc`."""

    qtype: ClassVar[str]
    methods: ClassVar[dict[str, tuple[tuple[Param, ...], Callable[..., Result]]]] = {}

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.methods = {
            name: (params, function)
            for function in vars(cls).values()
            if callable(function) and "rpc" in getattr(function, "__dict__", {})
            for name, params in [function.__dict__["rpc"]]
        }

    def __init__(self, session: EngineSession, generic_id: str, generic_type: str) -> None:
        self.session = session
        self.generic_id = generic_id
        self.generic_type = generic_type
        self.handle = 0

    def depends_on_selections(self) -> bool:
        """True when the object's layout changes with the selections."""
        return False

    def reference(self) -> Result:
        """The qReturn that hands this object to a client."""
        return {
            "qType": self.qtype,
            "qHandle": self.handle,
            "qGenericType": self.generic_type,
            "qGenericId": self.generic_id,
        }


class EngineSession:
    """The state of one engine session, shared by every socket attached to it."""

    def __init__(self, apps: Mapping[str, App], *, user: str, app_id: str | None) -> None:
        """An empty session; `global_object.new_session` makes one with its Global (handle -1)."""
        self.apps = apps
        self.user = user
        self.app_id = app_id
        self.doc: DocObject | None = None
        self.selections = Selections()
        self.objects: dict[int, EngineObject] = {}
        self._next_handle = -1
        self._changed: set[int] = set()
        self._closed: set[int] = set()

    def call(self, request: Request) -> Result:
        """Run one request; raises RpcError for an unknown handle, method or bad params."""
        target = self.objects.get(request.handle)
        if target is None:
            raise RpcError(ErrorCode.INVALID_PARAMS, "Invalid handle", request.id)
        method = target.methods.get(request.method)
        if method is None:
            raise RpcError(ErrorCode.METHOD_NOT_FOUND, request.method, request.id)
        params, handler = method
        arguments = bind_params(request, params)
        try:
            return handler(target, **arguments)
        except RpcError as error:
            error.request_id = request.id
            raise

    def add(self, obj: _Object) -> _Object:
        """Give `obj` the next handle (-1 for Global, then 1, 2, ...) and register it."""
        obj.handle = self._next_handle
        self._next_handle = 1 if self._next_handle == -1 else self._next_handle + 1
        self.objects[obj.handle] = obj
        return obj

    def remove(self, handle: int) -> None:
        if self.objects.pop(handle, None) is not None:
            self._closed.add(handle)
            self._changed.discard(handle)

    def mark_changed(self, handles: Sequence[int]) -> None:
        self._changed.update(handle for handle in handles if handle in self.objects)

    def set_selections(self, selections: Selections) -> bool:
        """Make `selections` current; marks every selection-dependent object changed. True if new."""
        if selections == self.selections:
            return False
        self.selections = selections
        self.mark_changed(
            [handle for handle, obj in self.objects.items() if obj.depends_on_selections()]
        )
        return True

    def data_changed(self) -> None:
        """The app's data changed (a reload): the Doc and every object are reported changed."""
        self.mark_changed([handle for handle in self.objects if handle != -1])

    def take_changes(self) -> tuple[list[int], list[int]]:
        """The handles changed and closed since the last call (and forget them)."""
        changed, closed = sorted(self._changed), sorted(self._closed)
        self._changed, self._closed = set(), set()
        return changed, closed

    def open_handle(self, generic_id: str) -> EngineObject | None:
        """The open generic object with this id, if any (GetObject hands out the same handle)."""
        for obj in self.objects.values():
            if obj.qtype == "GenericObject" and obj.generic_id == generic_id:
                return obj
        return None
