"""The JSON-RPC codec: request encoding, typed frame events, delta patch application."""

from __future__ import annotations

import json

import pytest

from viewer.core import rpc


def test_request_carries_id_handle_method_params_and_delta_only_when_asked() -> None:
    plain = json.loads(rpc.encode_request(7, -1, "OpenDoc", ["app"]))
    delta = json.loads(rpc.encode_request(8, 3, "GetLayout", {}, delta=True))
    assert plain == {
        "jsonrpc": "2.0",
        "id": 7,
        "handle": -1,
        "method": "OpenDoc",
        "params": ["app"],
    }
    assert delta["delta"] is True
    assert delta["params"] == {}


def test_response_with_change_and_close_lists() -> None:
    event = rpc.parse_frame('{"jsonrpc":"2.0","id":1,"result":{"a":1},"change":[1,2],"close":[3]}')
    assert event == rpc.Response(1, {"a": 1}, False, (1, 2), (3,))


def test_delta_flag_is_read_from_the_response() -> None:
    event = rpc.parse_frame('{"id":2,"delta":true,"result":{"qLayout":[]}}')
    assert isinstance(event, rpc.Response)
    assert event.delta


def test_error_frame_becomes_typed_error_with_code_parameter_message() -> None:
    event = rpc.parse_frame(
        '{"id":4,"error":{"code":1003,"parameter":"x","message":"App not found"}}'
    )
    assert event == rpc.ErrorResponse(4, 1003, "x", "App not found")


def test_change_only_frame_from_another_socket() -> None:
    event = rpc.parse_frame('{"jsonrpc":"2.0","change":[2,5],"close":[7]}')
    assert event == rpc.HandleChanges((2, 5), (7,))
    assert isinstance(rpc.parse_frame('{"change":["x"]}'), rpc.InvalidFrame)


def test_notification_without_params_gets_empty_params() -> None:
    assert rpc.parse_frame('{"method":"OnConnected"}') == rpc.Notification("OnConnected", {})


@pytest.mark.parametrize(
    ("frame", "expected_id"),
    [
        ("not json", None),
        (b"\xff\xfe", None),
        ("[1, 2]", None),
        ('{"id": "7", "result": {}}', None),
        ('{"id": true, "result": {}}', None),
        ('{"id": 3, "result": [1]}', 3),
        ('{"id": 3, "result": {}, "change": ["a"]}', 3),
        ('{"id": 3, "error": "boom"}', 3),
        ('{"method": "OnX", "params": [1]}', None),
        ('{"params": {}}', None),
    ],
)
def test_unusable_frames_become_invalid_events_with_the_id_when_readable(
    frame: str | bytes, expected_id: int | None
) -> None:
    event = rpc.parse_frame(frame)
    assert isinstance(event, rpc.InvalidFrame)
    assert event.id == expected_id
    assert event.problem


def test_deeply_nested_json_is_invalid_not_a_crash() -> None:
    event = rpc.parse_frame("[" * 100_000 + "]" * 100_000)
    assert isinstance(event, rpc.InvalidFrame)


def test_delta_root_add_then_patches_rebuild_the_value() -> None:
    cache = rpc.DeltaCache()
    first = cache.apply(
        2, "GetLayout", {"qLayout": [{"op": "add", "path": "/", "value": {"n": 1}}]}
    )
    second = cache.apply(2, "GetLayout", {"qLayout": [{"op": "replace", "path": "/n", "value": 2}]})
    unchanged = cache.apply(2, "GetLayout", {"qLayout": []})
    assert first == {"qLayout": {"n": 1}}
    assert second == {"qLayout": {"n": 2}}
    assert unchanged == {"qLayout": {"n": 2}}


def test_delta_root_scalar_value() -> None:
    cache = rpc.DeltaCache()
    assert cache.apply(
        -1, "EngineVersion", {"qReturn": [{"op": "add", "path": "/", "value": 5}]}
    ) == {"qReturn": 5}


def test_values_handed_out_are_copies_of_the_cache() -> None:
    cache = rpc.DeltaCache()
    given = cache.apply(
        1, "GetLayout", {"qLayout": [{"op": "add", "path": "/", "value": {"n": 1}}]}
    )
    given["qLayout"]["n"] = 99
    assert cache.apply(1, "GetLayout", {"qLayout": []}) == {"qLayout": {"n": 1}}


def test_values_are_kept_per_handle_and_method() -> None:
    cache = rpc.DeltaCache()
    cache.apply(1, "GetLayout", {"qLayout": [{"op": "add", "path": "/", "value": {"h": 1}}]})
    cache.apply(2, "GetLayout", {"qLayout": [{"op": "add", "path": "/", "value": {"h": 2}}]})
    assert cache.apply(1, "GetLayout", {"qLayout": []}) == {"qLayout": {"h": 1}}
    cache.forget(1)
    assert cache.apply(1, "GetLayout", {"qLayout": []}) == {"qLayout": None}
    assert cache.apply(2, "GetLayout", {"qLayout": []}) == {"qLayout": {"h": 2}}


@pytest.mark.parametrize(
    "patches",
    [
        "not a list",
        [{"op": "replace", "path": "/missing/deep", "value": 1}],
        [{"op": "explode", "path": "/x"}],
        [42],
        [{"path": "/x"}],
    ],
)
def test_bad_patches_raise_patch_error_and_drop_the_handle(patches: object) -> None:
    cache = rpc.DeltaCache()
    cache.apply(1, "GetLayout", {"qLayout": [{"op": "add", "path": "/", "value": {"n": 1}}]})
    with pytest.raises(rpc.PatchError):
        cache.apply(1, "GetLayout", {"qLayout": patches})
    assert cache.apply(1, "GetLayout", {"qLayout": []}) == {"qLayout": None}
