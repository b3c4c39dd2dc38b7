"""JSON-RPC framing: parsing, param binding and the frames the engine writes."""

from __future__ import annotations

import json
import math

import pytest

from viewer.sim.engine.protocol import (
    ErrorCode,
    Param,
    RpcError,
    bind_params,
    encode,
    error_response,
    handles_frame,
    notification,
    parse_request,
    proxy_message,
    response,
)

SPEC = (Param("qId", str), Param("qToggle", bool, False), Param("qValues", list, []))


def request(params: object, method: str = "M") -> str:
    return json.dumps({"jsonrpc": "2.0", "id": 7, "handle": 1, "method": method, "params": params})


def test_parse_request_reads_every_field() -> None:
    parsed = parse_request(
        '{"jsonrpc":"2.0","id":3,"handle":-1,"method":"OpenDoc","params":["a"],"delta":true}'
    )
    assert (parsed.id, parsed.handle, parsed.method, parsed.params, parsed.delta) == (
        3,
        -1,
        "OpenDoc",
        ["a"],
        True,
    )
    assert parse_request('{"id":1,"handle":1,"method":"X"}').params == []


@pytest.mark.parametrize("text", ["{", "", "nul", b"\xff\xfe"])
def test_bad_json_is_a_parse_error(text: str | bytes) -> None:
    with pytest.raises(RpcError) as caught:
        parse_request(text)
    assert caught.value.code is ErrorCode.PARSE_ERROR
    assert caught.value.request_id is None


@pytest.mark.parametrize(
    ("frame", "problem"),
    [
        ("[1]", "JSON object"),
        ('{"id":1,"handle":1}', "method"),
        ('{"id":1,"method":"X"}', "handle"),
        ('{"id":1,"handle":true,"method":"X"}', "handle"),
        ('{"id":1,"handle":1,"method":"X","params":3}', "params"),
        ('{"id":[1],"handle":1,"method":"X"}', "id"),
    ],
)
def test_bad_shapes_are_invalid_requests(frame: str, problem: str) -> None:
    with pytest.raises(RpcError, match=problem) as caught:
        parse_request(frame)
    assert caught.value.code is ErrorCode.INVALID_REQUEST


def test_bind_params_positional_named_and_defaults() -> None:
    assert bind_params(parse_request(request(["a", True])), SPEC) == {
        "qId": "a",
        "qToggle": True,
        "qValues": [],
    }
    assert bind_params(parse_request(request({"qValues": [1], "qId": "b"})), SPEC) == {
        "qId": "b",
        "qToggle": False,
        "qValues": [1],
    }


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ([], "qId is required"),
        ([1], "qId must be a string"),
        (["a", 1], "qToggle must be a boolean"),
        (["a", False, [], 4], "at most 3"),
        ({"qId": "a", "qOther": 1}, "unknown param qOther"),
    ],
)
def test_bad_params_are_refused_naming_the_param(params: object, problem: str) -> None:
    with pytest.raises(RpcError) as caught:
        bind_params(parse_request(request(params)), SPEC)
    assert caught.value.code is ErrorCode.INVALID_PARAMS
    assert problem in caught.value.parameter
    assert caught.value.request_id == 7


def test_integers_do_not_accept_booleans() -> None:
    with pytest.raises(RpcError):
        bind_params(parse_request(request([True])), (Param("qDimNo", int),))


def test_frames_have_the_engine_shapes() -> None:
    assert response(4, {"qReturn": []}, delta=True, change=[3, 1], close=[2]) == {
        "jsonrpc": "2.0",
        "id": 4,
        "delta": True,
        "result": {"qReturn": []},
        "change": [1, 3],
        "close": [2],
    }
    assert "change" not in response(4, {})
    assert error_response(RpcError(ErrorCode.APP_NOT_FOUND, "x", 9)) == {
        "jsonrpc": "2.0",
        "id": 9,
        "error": {"code": 1003, "parameter": "x", "message": "App not found"},
    }
    assert handles_frame([2], []) == {"jsonrpc": "2.0", "change": [2]}
    assert notification("OnConnected", {"qSessionState": "SESSION_CREATED"})["params"] == {
        "qSessionState": "SESSION_CREATED"
    }
    params = proxy_message("OnSessionTimedOut", "bye")["params"]
    assert (params["severity"], params["message"]) == ("fatal", "bye")
    assert params["timestamp"].endswith("Z")


def test_encode_is_compact_and_refuses_nan() -> None:
    assert encode({"a": [1, "NaN"]}) == '{"a":[1,"NaN"]}'
    with pytest.raises(ValueError, match="JSON"):
        encode({"a": math.nan})
