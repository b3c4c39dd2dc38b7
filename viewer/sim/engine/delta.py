"""The `delta: true` protocol: results sent as JSON-Patch against what this socket sent last.

The engine remembers, per socket, the last value of every (handle, method, result key) it sent.
A delta answer is the patch from that value to the new one (`[]` when unchanged); the first
answer, or one whose type changed, replaces the root: `[{"op": "add", "path": "/", "value": v}]`.
Clients treat any patch on path "/" as the whole value (enigma.js does), which is not RFC 6902's
meaning of "/", so `apply_patches` here mirrors the client rather than calling jsonpatch directly.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping

import jsonpatch

from viewer.sim.engine.data import Json

ROOT = "/"

_MISSING = object()


def patches_between(previous: Json, current: Json, *, known: bool = True) -> list[Json]:
    """The patches that turn `previous` into `current`; a root patch when not `known` or not diffable."""
    if known and previous == current:
        return []
    same_container = isinstance(previous, dict) and isinstance(current, dict)
    same_container = same_container or (isinstance(previous, list) and isinstance(current, list))
    if known and same_container:
        return list(jsonpatch.make_patch(previous, current).patch)
    return [{"op": "add" if not known else "replace", "path": ROOT, "value": current}]


def apply_patches(previous: Json, patches: list[Json]) -> Json:
    """What a delta client holds after applying `patches` to `previous` (None when it had nothing)."""
    if not patches:
        return previous
    if patches[0]["path"] == ROOT:
        return apply_patches(copy.deepcopy(patches[0]["value"]), patches[1:])
    return jsonpatch.apply_patch(previous, patches)


class DeltaCache:
    """What one socket has sent so far, per (handle, method, result key)."""

    def __init__(self) -> None:
        self._sent: dict[tuple[int, str, str], Json] = {}

    def encode(self, handle: int, method: str, result: Mapping[str, Json]) -> dict[str, Json]:
        """Turn a plain result into its delta form and remember the values as sent."""
        encoded: dict[str, Json] = {}
        for key, value in result.items():
            previous = self._sent.get((handle, method, key), _MISSING)
            encoded[key] = patches_between(previous, value, known=previous is not _MISSING)
            self._sent[(handle, method, key)] = value
        return encoded

    def forget(self, handles: Iterable[int]) -> None:
        """Drop everything sent for `handles` (they were closed: the client drops its copies too)."""
        gone = set(handles)
        self._sent = {key: value for key, value in self._sent.items() if key[0] not in gone}

    def __len__(self) -> int:
        return len(self._sent)
