"""What `Session.resume()` does once a new socket is open: get the app back (GetActiveDoc, else
the recorded OpenDoc) and every other object by its id, and say which objects came back with
which new handle and which are lost. It only sends requests; the session applies the outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field

from viewer.core import rpc
from viewer.engine.channel import RpcChannel
from viewer.engine.errors import EngineError
from viewer.engine.objects import ApiObject, Doc, Global, refetch_method


@dataclass
class Restored:
    """Objects that came back (with their new handles) and objects that are lost."""

    handles: dict[ApiObject, int] = field(default_factory=dict)
    lost: list[ApiObject] = field(default_factory=list)


async def restore_objects(
    channel: RpcChannel, objects: Iterable[ApiObject], open_doc_params: rpc.Params | None
) -> Restored:
    """Fetch every object again on `channel`. The Global needs nothing (its handle is fixed);
    objects of a type that cannot be fetched by id, or that the engine no longer has, are lost."""
    restored = Restored()
    alive = [obj for obj in objects if not obj.is_closed and not isinstance(obj, Global)]
    doc = next((obj for obj in alive if isinstance(obj, Doc)), None)
    doc_handle = await _restore_doc(channel, open_doc_params) if doc is not None else None
    others = [obj for obj in alive if obj is not doc]
    handles = await asyncio.gather(*(_refetch(channel, doc_handle, obj) for obj in others))
    for obj, handle in zip([doc, *others], [doc_handle, *handles], strict=True):
        if obj is None:
            continue
        if handle is None:
            restored.lost.append(obj)
        else:
            restored.handles[obj] = handle
    return restored


async def _restore_doc(channel: RpcChannel, open_doc_params: rpc.Params | None) -> int | None:
    attempts: list[tuple[str, rpc.Params]] = [("GetActiveDoc", [])]
    if open_doc_params is not None:
        attempts.append(("OpenDoc", open_doc_params))
    for method, params in attempts:
        handle = await _handle_of(channel, rpc.GLOBAL_HANDLE, method, params)
        if handle is not None:
            return handle
    return None


async def _refetch(channel: RpcChannel, doc_handle: int | None, obj: ApiObject) -> int | None:
    method = refetch_method(obj.type)
    if doc_handle is None or method is None:
        return None
    return await _handle_of(channel, doc_handle, method, [obj.id])


async def _handle_of(
    channel: RpcChannel, handle: int, method: str, params: rpc.Params
) -> int | None:
    """The qHandle a fetch method returns, or None when the engine has no such object."""
    try:
        result = await channel.request(handle, method, params, delta=False)
    except EngineError:
        return None
    q_return = result.get("qReturn")
    new_handle = q_return.get("qHandle") if isinstance(q_return, dict) else None
    return new_handle if isinstance(new_handle, int) and not isinstance(new_handle, bool) else None
