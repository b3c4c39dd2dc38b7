"""The QIX JSON-RPC codec with no I/O: encode requests, parse frames into typed events, and
rebuild `delta: true` results from their JSON-Patch operations (see reference/qix-protocol.md).

Parsing never raises: anything that is not a well-formed response, error or notification comes
back as an `InvalidFrame` saying what was wrong, and carries the request id when one was readable
so the caller can fail that one pending call instead of leaving it hanging.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias, TypeGuard

import jsonpatch
import jsonpointer

GLOBAL_HANDLE: Final = -1
JSONRPC_VERSION: Final = "2.0"

JsonObject: TypeAlias = dict[str, Any]
Params: TypeAlias = Sequence[Any] | Mapping[str, Any]


def encode_request(
    request_id: int, handle: int, method: str, params: Params, *, delta: bool = False
) -> str:
    """One request frame as text. `delta` asks the engine to answer with JSON-Patch operations."""
    frame: JsonObject = {
        "jsonrpc": JSONRPC_VERSION,
        "id": request_id,
        "handle": handle,
        "method": method,
        "params": dict(params) if isinstance(params, Mapping) else list(params),
    }
    if delta:
        frame["delta"] = True
    return json.dumps(frame, separators=(",", ":"))


@dataclass(frozen=True)
class Response:
    """A successful answer to request `id`; `delta` means each result value is a list of patches."""

    id: int
    result: JsonObject
    delta: bool = False
    change: tuple[int, ...] = ()
    close: tuple[int, ...] = ()


@dataclass(frozen=True)
class ErrorResponse:
    """An engine error answering request `id` (code, parameter and message as the engine sent)."""

    id: int
    code: int
    parameter: str
    message: str
    change: tuple[int, ...] = ()
    close: tuple[int, ...] = ()


@dataclass(frozen=True)
class Notification:
    """A frame with a method and no id: OnConnected, proxy messages, and the like."""

    method: str
    params: JsonObject = field(default_factory=dict)


@dataclass(frozen=True)
class HandleChanges:
    """A frame with only `change`/`close` lists: objects changed by another socket's request."""

    change: tuple[int, ...] = ()
    close: tuple[int, ...] = ()


@dataclass(frozen=True)
class InvalidFrame:
    """A frame the codec could not use; `id` is set when a request id could still be read."""

    problem: str
    id: int | None = None


FrameEvent: TypeAlias = Response | ErrorResponse | Notification | HandleChanges | InvalidFrame


def parse_frame(data: str | bytes) -> FrameEvent:
    """Turn one received websocket message into exactly one typed event."""
    try:
        frame = json.loads(data)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        return InvalidFrame(f"not JSON: {type(error).__name__}")
    if not isinstance(frame, dict):
        return InvalidFrame(f"not a JSON object but {type(frame).__name__}")
    request_id = frame.get("id")
    if _is_int(request_id):
        return _parse_answer(frame, request_id)
    method = frame.get("method")
    if request_id is None and isinstance(method, str) and method:
        params = frame.get("params")
        if params is None:
            params = {}
        if not isinstance(params, dict):
            return InvalidFrame(
                f"notification {method!r} has params of type {type(params).__name__}"
            )
        return Notification(method, params)
    if request_id is None and method is None and ("change" in frame or "close" in frame):
        change, close = _handles(frame.get("change")), _handles(frame.get("close"))
        if change is None or close is None:
            return InvalidFrame("`change`/`close` must be lists of integer handles")
        return HandleChanges(change, close)
    return InvalidFrame("neither an answer with an integer id nor a notification with a method")


def _parse_answer(frame: JsonObject, request_id: int) -> FrameEvent:
    change = _handles(frame.get("change"))
    close = _handles(frame.get("close"))
    if change is None or close is None:
        return InvalidFrame("`change`/`close` must be lists of integer handles", request_id)
    error = frame.get("error")
    if error is not None:
        if not isinstance(error, dict) or not _is_int(error.get("code")):
            return InvalidFrame("`error` must be an object with an integer code", request_id)
        return ErrorResponse(
            request_id,
            error["code"],
            str(error.get("parameter") or ""),
            str(error.get("message") or ""),
            change,
            close,
        )
    result = frame.get("result")
    if not isinstance(result, dict):
        return InvalidFrame("`result` must be an object", request_id)
    return Response(request_id, result, frame.get("delta") is True, change, close)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _handles(value: object) -> tuple[int, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(_is_int(item) for item in value):
        return tuple(value)
    return None


class PatchError(ValueError):
    """A delta result could not be applied: not a list of patches, or a patch that does not fit."""


class DeltaCache:
    """The last value of every (handle, method, result key), which `delta: true` patches build on.

    Values handed out are fresh copies, so callers may change them without corrupting the next
    patch. Each value is kept with its JSON text: an unchanged value (`[]`) is copied by one
    C-speed `json.loads`, far cheaper than a deep copy. A cache belongs to one connection:
    handles mean nothing on another socket.
    """

    def __init__(self) -> None:
        self._values: dict[tuple[int, str, str], tuple[Any, str]] = {}

    def apply(self, handle: int, method: str, result: Mapping[str, Any]) -> JsonObject:
        """The full result of a delta answer to `method` on `handle`; raises `PatchError`.

        After a `PatchError` the handle's cached values are dropped: they can no longer be trusted.
        """
        full: JsonObject = {}
        try:
            for key, patches in result.items():
                slot = (handle, method, key)
                cached = self._values.get(slot)
                if patches != [] or cached is None:
                    value = _patched(cached[0] if cached else None, patches, key)
                    cached = (value, json.dumps(value, separators=(",", ":")))
                    self._values[slot] = cached
                full[key] = json.loads(cached[1])
        except PatchError:
            self.forget(handle)
            raise
        return full

    def forget(self, handle: int) -> None:
        """Drop every value of a handle the engine closed."""
        for slot in [slot for slot in self._values if slot[0] == handle]:
            del self._values[slot]

    def clear(self) -> None:
        """Drop everything (a new connection starts from scratch)."""
        self._values.clear()


def _patched(current: Any, patches: object, key: str) -> Any:
    """Apply `patches` to `current` in place where possible; the result replaces `current`."""
    if not isinstance(patches, list):
        raise PatchError(f"delta result {key!r} is not a list of patches")
    if not patches:
        return current
    # The engine addresses the whole value as "/" where RFC 6902 says "".
    operations = [
        {**op, "path": ""} if isinstance(op, dict) and op.get("path") == "/" else op
        for op in patches
    ]
    try:
        return jsonpatch.apply_patch({} if current is None else current, operations, in_place=True)
    except (
        jsonpatch.JsonPatchException,
        jsonpointer.JsonPointerException,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        ValueError,
    ) as error:
        raise PatchError(f"delta result {key!r}: {type(error).__name__}: {error}") from error
