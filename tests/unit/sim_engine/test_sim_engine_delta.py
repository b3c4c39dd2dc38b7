"""Delta answers: JSON-Patch per (handle, method, key) against what this socket sent last."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from viewer.sim.engine.delta import DeltaCache, apply_patches, patches_between

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text("abcqX", min_size=1, max_size=3), children, max_size=4)
    ),
    max_leaves=20,
)


def test_first_value_is_a_root_add_then_unchanged_is_empty() -> None:
    cache = DeltaCache()
    layout = {"qInfo": {"qId": "a"}, "n": 1}
    assert cache.encode(2, "GetLayout", {"qLayout": layout}) == {
        "qLayout": [{"op": "add", "path": "/", "value": layout}]
    }
    assert cache.encode(2, "GetLayout", {"qLayout": dict(layout)}) == {"qLayout": []}


def test_change_is_a_patch_and_keys_are_separate_per_handle_and_method() -> None:
    cache = DeltaCache()
    cache.encode(2, "GetLayout", {"qLayout": {"n": 1}})
    assert cache.encode(2, "GetLayout", {"qLayout": {"n": 2}}) == {
        "qLayout": [{"op": "replace", "path": "/n", "value": 2}]
    }
    # same value under another handle or method was never sent: a root add again
    assert cache.encode(3, "GetLayout", {"qLayout": {"n": 2}})["qLayout"][0]["path"] == "/"
    assert cache.encode(2, "GetProperties", {"qLayout": {"n": 2}})["qLayout"][0]["path"] == "/"


def test_primitive_values_are_replaced_at_the_root() -> None:
    cache = DeltaCache()
    assert cache.encode(-1, "IsDesktopMode", {"qReturn": False}) == {
        "qReturn": [{"op": "add", "path": "/", "value": False}]
    }
    assert cache.encode(-1, "IsDesktopMode", {"qReturn": True}) == {
        "qReturn": [{"op": "replace", "path": "/", "value": True}]
    }


def test_forget_makes_the_next_answer_whole_again() -> None:
    cache = DeltaCache()
    cache.encode(5, "GetLayout", {"qLayout": {"n": 1}})
    cache.encode(6, "GetLayout", {"qLayout": {"n": 1}})
    cache.forget([5])
    assert len(cache) == 1
    assert cache.encode(5, "GetLayout", {"qLayout": {"n": 1}})["qLayout"][0]["path"] == "/"


@given(json_values, json_values)
def test_applying_the_patches_reproduces_the_new_value(old: Any, new: Any) -> None:
    client = apply_patches(None, patches_between(None, old, known=False))
    assert client == old
    assert apply_patches(client, patches_between(old, new)) == new
