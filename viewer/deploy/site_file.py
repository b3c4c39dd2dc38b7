"""The site file an installer writes from the values an administrator gave it (Inno Setup's
`/TENANT_URL=…` command-line parameters, an MSI property, an MDM variable): each `key.path` is
checked against the configuration models, turned into its TOML type, and the whole file is
validated as `viewer config validate --as-site` would. Problems name the installer property."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import TypeAdapter, ValidationError

from viewer.config.errors import ConfigError, Origin, Problem, did_you_mean
from viewer.config.layers import env_value, nest
from viewer.config.loading import load_layers
from viewer.config.paths import all_keys, key_info

HEADER = "# Site configuration written by the viewer's installer. Edit it, or reinstall with new\n# values; `viewer config validate --as-site FILE` checks it.\n"


def _origin(key: str) -> Origin:
    return Origin("site", name=f"installer property {key}")


def _typed(key: str, text: str) -> Any:
    """`text` as the TOML value of `key` (JSON for lists and tables, as in the environment).
    Keys of the `auth` table stay text: their type depends on the mode, and the whole-file
    validation checks them."""
    info = key_info(key)
    if info is None or info.model is not None or "[" in key:
        hint = did_you_mean(key, all_keys()) or "see `viewer config docs` for every key"
        raise ConfigError(
            [Problem(key, "not a configuration key", hint, None, _origin(key), "unknown_key")]
        )
    try:
        raw = env_value(key, text)
    except ConfigError as error:
        raise ConfigError(
            [replace(p, key_path=key, origin=_origin(key)) for p in error.problems]
        ) from None
    annotation = info.field.annotation
    if info.modes or annotation is None:
        return raw  # an auth key's type depends on the mode: the whole-file check decides
    try:
        value = TypeAdapter(annotation).validate_python(raw)
    except ValidationError as error:
        message = error.errors(include_url=False)[0]["msg"]
        raise ConfigError(
            [Problem(key, message, info.field.description, repr(text), _origin(key))]
        ) from None
    return TypeAdapter(annotation).dump_python(value, mode="json")


def site_file_text(properties: Mapping[str, str], locks: Sequence[str] = ()) -> str:
    """The site file for `properties` (key path -> text; empty texts are left out) with `locks`;
    `ConfigError` listing every problem."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, text in properties.items():
        if text == "":
            continue
        try:
            values[key] = _typed(key, text)
        except ConfigError as error:
            problems.extend(error.problems)
    nested = nest({k: v for k, v in values.items() if v is not None})
    if locks:
        nested["locks"] = {"keys": list(locks)}
    text = HEADER + tomli_w.dumps(nested)
    with tempfile.TemporaryDirectory() as scratch:
        draft = Path(scratch) / "site.toml"
        draft.write_text(text, encoding="utf-8")
        _, _, found = load_layers(site_file=draft, user_file=None, require_complete=False)
    problems.extend(replace(p, origin=_origin(p.key_path.split("[", 1)[0])) for p in found)
    if problems:
        raise ConfigError(problems)
    return text
