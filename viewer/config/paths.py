"""Key paths of the configuration (`tenant.base_url`, `auth.private_key`, …) derived from the
models: which exist, which field a path names, and which hold secret references."""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from viewer.config.fields import SecretMarker
from viewer.config.models import AUTH_MODELS, ViewerConfig, auth_mode_of

AUTH_SECTION = "auth"
T = TypeVar("T")


@dataclass(frozen=True)
class KeyInfo:
    """One configuration key: its dotted path, its field and, for auth keys, the modes having it."""

    path: str
    field: FieldInfo
    model: type[BaseModel] | None
    modes: tuple[str, ...] = ()

    @property
    def secret(self) -> bool:
        """Whether the value is a secret reference (masked in messages)."""
        return has_secret_marker((self.field.annotation, *self.field.metadata))


def has_secret_marker(items: tuple[Any, ...]) -> bool:
    """Whether a SecretMarker appears in the annotations, at any depth (`SecretRef | None`)."""
    return any(
        isinstance(item, SecretMarker) or has_secret_marker(get_args(item)) for item in items
    )


def section_model(annotation: Any) -> type[BaseModel] | None:
    """The model class an annotation refers to, if it is a (possibly optional) table."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None:
        models = [
            a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if len(models) == 1:
            return models[0]
    return None


def _walk(model: type[BaseModel], prefix: str, modes: tuple[str, ...]) -> Iterator[KeyInfo]:
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        child = section_model(field.annotation)
        yield KeyInfo(path, field, child, modes)
        if child is not None:
            yield from _walk(child, f"{path}.", modes)


@cache
def all_keys() -> dict[str, KeyInfo]:
    """Every key path of a profile; auth keys are merged over the modes that have them."""
    keys: dict[str, KeyInfo] = {}
    for info in _walk(ViewerConfig, "", ()):
        if info.path != AUTH_SECTION:
            keys[info.path] = info
    keys[AUTH_SECTION] = KeyInfo(AUTH_SECTION, ViewerConfig.model_fields[AUTH_SECTION], None)
    for auth_model in AUTH_MODELS:
        mode = auth_mode_of(auth_model)
        for info in _walk(auth_model, f"{AUTH_SECTION}.", (mode,)):
            known = keys.get(info.path)
            modes = (*known.modes, mode) if known else (mode,)
            keys[info.path] = KeyInfo(info.path, info.field, info.model, modes)
    return keys


def auth_modes() -> tuple[str, ...]:
    """Every auth mode, in declaration order."""
    return tuple(auth_mode_of(model) for model in AUTH_MODELS)


def auth_model(mode: str) -> type[BaseModel]:
    """The model of one auth mode."""
    return next(model for model in AUTH_MODELS if auth_mode_of(model) == mode)


def key_info(path: str) -> KeyInfo | None:
    """The key a dotted path names (list indices like `[2]` are ignored), or None."""
    base = path.split("[", 1)[0]
    info = all_keys().get(base)
    if info is None and base.startswith(f"{AUTH_SECTION}.attributes."):
        return all_keys().get(f"{AUTH_SECTION}.attributes")
    return info


_LIST_INDEX = re.compile(r"\[\d+\]$")


def nearest(mapping: Mapping[str, T], key_path: str) -> T | None:
    """The entry for `key_path`, else for the nearest list or table enclosing it
    (`tenant.sheets[2]` -> `tenant.sheets` -> `tenant`)."""
    path = _LIST_INDEX.sub("", key_path)
    while path:
        if path in mapping:
            return mapping[path]
        path = _LIST_INDEX.sub("", path.rpartition(".")[0])
    return None


def sibling_names(parent: str) -> list[str]:
    """Names of the keys directly inside the table at `parent` ('' for the top level)."""
    prefix = f"{parent}." if parent else ""
    return [
        path[len(prefix) :]
        for path in all_keys()
        if path.startswith(prefix) and "." not in path[len(prefix) :]
    ]


_SCALAR_NAMES: dict[Any, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    Path: "path",
}


def type_name(annotation: Any) -> str:
    """How a type reads in docs and hints: `string`, `list of string`, `"a" | "b"`…"""
    if has_secret_marker((annotation,)):
        return "secret reference" + (" (optional)" if type(None) in get_args(annotation) else "")
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Literal:
        return " | ".join(json.dumps(arg) for arg in args)
    if origin in (Union, types.UnionType):
        alternatives = [type_name(arg) for arg in args if arg is not type(None)]
        optional = " (optional)" if type(None) in args else ""
        return " | ".join(alternatives) + optional
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"table of {type_name(args[1])}"
    if args and hasattr(annotation, "__metadata__"):  # Annotated[...]
        return type_name(args[0])
    return _SCALAR_NAMES.get(annotation) or str(getattr(annotation, "__name__", annotation))
