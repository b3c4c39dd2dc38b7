"""JSON-RPC 2.0 framing for the QIX engine: parsing requests, binding params, building frames.

No I/O here: text in, `Request` or `RpcError` out; dicts in, text out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum

from viewer.sim.engine.data import Json


class ErrorCode(IntEnum):
    """Engine error codes (NxLocalizedErrorCode / LOCERR_*) the sim answers with."""

    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL_ERROR = -32603
    NOT_FOUND = 2
    APP_ALREADY_OPEN = 1002
    APP_NOT_FOUND = 1003
    APP_INVALID = 1007


_MESSAGES = {
    ErrorCode.PARSE_ERROR: "Parse error",
    ErrorCode.INVALID_REQUEST: "Invalid Request",
    ErrorCode.METHOD_NOT_FOUND: "Method not found",
    ErrorCode.INVALID_PARAMS: "Invalid Params",
    ErrorCode.INTERNAL_ERROR: "Internal error",
    ErrorCode.NOT_FOUND: "Not found",
    ErrorCode.APP_ALREADY_OPEN: "App already open",
    ErrorCode.APP_NOT_FOUND: "App not found",
    ErrorCode.APP_INVALID: "App invalid",
}


class RpcError(Exception):
    """An error answer: the engine's code, a fixed message for the code, and what was wrong."""

    def __init__(self, code: ErrorCode, parameter: str = "", request_id: Json = None) -> None:
        super().__init__(f"{code.name}: {parameter}")
        self.code = code
        self.parameter = parameter
        self.request_id = request_id

    def to_json(self) -> dict[str, Json]:
        return {
            "code": int(self.code),
            "parameter": self.parameter,
            "message": _MESSAGES[self.code],
        }


@dataclass(frozen=True)
class Request:
    """One parsed request frame. `id` is None for a JSON-RPC notification (no answer is sent)."""

    id: Json
    handle: int
    method: str
    params: list[Json] | dict[str, Json]
    delta: bool


_REQUIRED = object()


@dataclass(frozen=True)
class Param:
    """One input parameter of a method: its name, JSON type and default (required when none)."""

    name: str
    kind: type
    default: Json = _REQUIRED


def parse_request(text: str | bytes) -> Request:
    """Parse a frame; raises RpcError -32700 for bad JSON, -32600 for a bad request shape."""
    try:
        frame = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise RpcError(ErrorCode.PARSE_ERROR, f"not JSON: {error}") from None
    if not isinstance(frame, dict):
        raise RpcError(ErrorCode.INVALID_REQUEST, "a request must be a JSON object")
    request_id = frame.get("id")
    if not isinstance(request_id, int | str | None) or isinstance(request_id, bool):
        raise RpcError(ErrorCode.INVALID_REQUEST, "id must be a number or a string")
    method, handle = frame.get("method"), frame.get("handle")
    params = frame.get("params", [])
    if not isinstance(method, str) or not method:
        raise RpcError(ErrorCode.INVALID_REQUEST, "method must be a non-empty string", request_id)
    if not isinstance(handle, int) or isinstance(handle, bool):
        raise RpcError(ErrorCode.INVALID_REQUEST, "handle must be an integer", request_id)
    if not isinstance(params, list | dict):
        raise RpcError(
            ErrorCode.INVALID_REQUEST, "params must be an array or an object", request_id
        )
    return Request(request_id, handle, method, params, frame.get("delta") is True)


def bind_params(request: Request, spec: Sequence[Param]) -> dict[str, Json]:
    """Match positional or named params to `spec`; raises RpcError -32602 naming the bad one."""
    given: dict[str, Json]
    if isinstance(request.params, list):
        if len(request.params) > len(spec):
            raise _invalid(request, f"{request.method} takes at most {len(spec)} params")
        given = {param.name: value for param, value in zip(spec, request.params, strict=False)}
    else:
        unknown = sorted(set(request.params) - {param.name for param in spec})
        if unknown:
            raise _invalid(request, f"unknown param {unknown[0]}")
        given = dict(request.params)
    bound: dict[str, Json] = {}
    for param in spec:
        if param.name not in given:
            if param.default is _REQUIRED:
                raise _invalid(request, f"{param.name} is required")
            bound[param.name] = param.default
            continue
        value = given[param.name]
        if not _is_kind(value, param.kind):
            raise _invalid(request, f"{param.name} must be {_KIND_NAMES[param.kind]}")
        bound[param.name] = value
    return bound


_KIND_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "a boolean",
    list: "an array",
    dict: "an object",
}


def _is_kind(value: Json, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _invalid(request: Request, parameter: str) -> RpcError:
    return RpcError(ErrorCode.INVALID_PARAMS, parameter, request.id)


def response(
    request_id: Json,
    result: Mapping[str, Json],
    *,
    delta: bool = False,
    change: Sequence[int] = (),
    close: Sequence[int] = (),
) -> dict[str, Json]:
    """A result frame, with the delta flag and the change/close handle lists when there are any."""
    frame: dict[str, Json] = {"jsonrpc": "2.0", "id": request_id}
    if delta:
        frame["delta"] = True
    frame["result"] = dict(result)
    return with_handles(frame, change, close)


def error_response(error: RpcError) -> dict[str, Json]:
    return {"jsonrpc": "2.0", "id": error.request_id, "error": error.to_json()}


def handles_frame(change: Sequence[int], close: Sequence[int]) -> dict[str, Json]:
    """A frame with no id that only tells a client which handles changed or closed."""
    return with_handles({"jsonrpc": "2.0"}, change, close)


def notification(method: str, params: Mapping[str, Json]) -> dict[str, Json]:
    return {"jsonrpc": "2.0", "method": method, "params": dict(params)}


def proxy_message(method: str, message: str, severity: str = "fatal") -> dict[str, Json]:
    """A proxy notification (OnSessionTimedOut, OnSessionClosed, ...) with severity and timestamp."""
    timestamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return notification(method, {"severity": severity, "timestamp": timestamp, "message": message})


def encode(frame: Mapping[str, Json]) -> str:
    """Compact JSON text; NaN must already be the string "NaN" (as the engine sends it)."""
    return json.dumps(frame, separators=(",", ":"), allow_nan=False)


def with_handles(
    frame: dict[str, Json], change: Sequence[int], close: Sequence[int]
) -> dict[str, Json]:
    """Add the `change` and `close` handle lists to a frame (only the lists that are not empty)."""
    if change:
        frame["change"] = sorted(change)
    if close:
        frame["close"] = sorted(close)
    return frame
