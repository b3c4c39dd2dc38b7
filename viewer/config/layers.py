"""Configuration layers and how they stack: each layer (site file, user profile, `VIEWER_*`
environment, command-line overrides) is a nested dict plus the origin of every key it sets;
higher layers override lower ones, and keys the site file locks may not be overridden."""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from viewer.config.errors import ConfigError, Layer, Origin, Problem, did_you_mean
from viewer.config.files import MAX_CONFIG_BYTES, FileTooLarge, read_small_text
from viewer.config.locate import key_positions, position_of
from viewer.config.paths import AUTH_SECTION, all_keys, key_info, nearest

ENV_PREFIX = "VIEWER_"
ENV_SEPARATOR = "__"
LOCKS_KEY = "locks.keys"

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_AT_END = "(at end of document)"


@dataclass(frozen=True)
class LayerData:
    """One layer: its values as nested tables and the origin of every key path it sets."""

    layer: Layer
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    file: Path | None = None

    def origin_of(self, key_path: str) -> Origin | None:
        """The origin of `key_path` or of its nearest enclosing table set by this layer."""
        return nearest(self.origins, key_path)


def key_paths(values: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """Every key path in nested tables, tables included (`tenant`, `tenant.app_id`, …)."""
    for key, value in values.items():
        path = f"{prefix}{key}"
        yield path
        if isinstance(value, Mapping):
            yield from key_paths(value, f"{path}.")


def _leaf_paths(values: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """The key paths of the values that are not tables."""
    for key, value in values.items():
        if isinstance(value, Mapping):
            yield from _leaf_paths(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


# --- reading ------------------------------------------------------------------------------


def _syntax_problem(path: Path, layer: Layer, error: tomllib.TOMLDecodeError, text: str) -> Problem:
    message = str(error)
    match = _TOML_POSITION.search(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    reason = _TOML_POSITION.sub("", message).strip()
    if match is None and reason.endswith(_TOML_AT_END):  # located too: the file's last line
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
        reason = f"{reason.removesuffix(_TOML_AT_END).strip()} at the end of the file"
    return Problem(
        "",
        f"TOML syntax error: {reason}",
        "fix the syntax at that position (strings need quotes, tables [like.this])",
        origin=Origin(layer, path, line, column),
        code="toml_syntax",
    )


def _is_path_field(key_path: str) -> bool:
    info = key_info(key_path)
    return info is not None and (
        info.field.annotation is Path or Path in get_args(info.field.annotation)
    )


def _anchored(value: Any, key_path: str, base: Path) -> Any:
    """Relative file paths (path keys and `file:` references) made relative to `base`."""
    if not isinstance(value, str):
        return value
    info = key_info(key_path)
    target = value.removeprefix("file:")
    if info is not None and info.secret and value.startswith("file:") and target:
        target_path = Path(target).expanduser()
        return value if target_path.is_absolute() else f"file:{base / target_path}"
    if _is_path_field(key_path) and value:
        path = Path(value).expanduser()
        return value if path.is_absolute() else str(base / path)
    return value


def _anchor_all(values: dict[str, Any], base: Path, prefix: str = "") -> dict[str, Any]:
    return {
        key: _anchor_all(value, base, f"{prefix}{key}.")
        if isinstance(value, dict)
        else _anchored(value, f"{prefix}{key}", base)
        for key, value in values.items()
    }


def _file_error(
    path: Path, layer: Layer, message: str, code: str, hint: str = "check the path"
) -> ConfigError:
    return ConfigError([Problem("", message, hint, None, Origin(layer, path), code)])


def _unreadable(path: Path, layer: Layer, error: OSError | UnicodeDecodeError) -> ConfigError:
    """Why a configuration file that exists cannot be read, and what to do about it."""
    if isinstance(error, UnicodeDecodeError):
        return _file_error(
            path, layer, f"it is not UTF-8 text (byte {error.start} cannot be decoded)",
            "unreadable", "a configuration file is TOML text saved as UTF-8; check that this is "
            "the file you meant",
        )  # fmt: skip
    if isinstance(error, IsADirectoryError):
        return _file_error(
            path, layer, "it is a directory, not a file", "unreadable",
            "give the path of the TOML file itself",
        )  # fmt: skip
    if isinstance(error, PermissionError):
        return _file_error(
            path, layer, "this user may not read it (permission denied)", "unreadable",
            "make it readable for the user the viewer runs as (chmod, chown)",
        )  # fmt: skip
    return _file_error(path, layer, f"cannot read it ({error.strerror or error})", "unreadable")


MAX_DEPTH = 16
"""Tables nested deeper than this are refused (the deepest key of a profile is 3 levels)."""


def _too_deep(values: Mapping[str, Any]) -> str | None:
    """The first key path nested deeper than MAX_DEPTH (found without recursion), or None."""
    stack: list[tuple[str, Mapping[str, Any], int]] = [("", values, 1)]
    while stack:
        prefix, table, depth = stack.pop()
        for key, value in table.items():
            if isinstance(value, Mapping):
                if depth >= MAX_DEPTH:
                    return f"{prefix}{key}"
                stack.append((f"{prefix}{key}.", value, depth + 1))
    return None


def _parse_toml(text: str, path: Path, layer: Layer) -> dict[str, Any]:
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([_syntax_problem(path, layer, error, text)]) from None
    except RecursionError:
        values = None
    deep = "" if values is None else _too_deep(values)
    if deep is not None:
        where = f" at `{deep[:60]}…`" if deep else ""
        problem = Problem(
            "",
            f"tables or arrays are nested deeper than {MAX_DEPTH} levels{where}",
            "a profile nests at most a few tables ([auth], [tenant.single]); check the file",
            origin=Origin(
                layer, path, *((deep and position_of(key_positions(text), deep)) or (None, None))
            ),
            code="too_deep",
        )
        raise ConfigError([problem])
    assert values is not None
    return values


def read_file_layer(path: Path, layer: Layer) -> LayerData:
    """Read one TOML file as a layer; raise `ConfigError` if it is unreadable, too large, nested
    too deep or not TOML. A UTF-8 byte-order mark at the start is accepted."""
    try:
        text = read_small_text(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise _file_error(path, layer, "file not found", "no_file") from None
    except FileTooLarge:
        raise _file_error(
            path, layer, f"it holds more than {MAX_CONFIG_BYTES // 1024} KiB: not a profile",
            "too_large",
        ) from None  # fmt: skip
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(path, layer, error) from None
    values = _parse_toml(text, path, layer)
    positions = key_positions(text)
    origins = {}
    for key_path in key_paths(values):
        line, column = position_of(positions, key_path) or (None, None)
        origins[key_path] = Origin(layer, path, line, column)
    return LayerData(layer, _anchor_all(values, path.parent.resolve()), origins, path)


def nest(dotted: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted key paths (`{"tenant.app_id": …}`) as nested tables."""
    nested: dict[str, Any] = {}
    for key_path, value in dotted.items():
        *tables, name = key_path.split(".")
        target = nested
        for table in tables:
            child = target.setdefault(table, {})
            if not isinstance(child, dict):
                child = target[table] = {}
            target = child
        target[name] = value
    return nested


def env_value(name: str, text: str) -> Any:
    """Environment values are strings; a value starting with '[' or '{' is read as JSON."""
    if not text.lstrip().startswith(("[", "{")):
        return text
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        what = (
            f"{error.msg} at column {error.colno}"
            if isinstance(error, json.JSONDecodeError)
            else "nested too deep"
        )
        raise ConfigError(
            [
                Problem(
                    "",
                    f"not valid JSON ({what})",
                    "a list or table given as text (an environment variable, --set, an installer "
                    "property) is written as JSON, e.g. "
                    '["sheet-1", "sheet-2"]',
                    origin=Origin("env", name=name),
                    code="env_json",
                )
            ]
        ) from None


def env_layer(environ: Mapping[str, str] | None = None) -> LayerData:
    """The `VIEWER_SECTION__KEY=value` variables as a layer (`VIEWER_TENANT__APP_ID` sets
    `tenant.app_id`). Variables without `__` are not configuration and are ignored."""
    environ = os.environ if environ is None else environ
    dotted: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for name, text in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or ENV_SEPARATOR not in name:
            continue
        key_path = ".".join(name[len(ENV_PREFIX) :].lower().split(ENV_SEPARATOR))
        dotted[key_path] = env_value(name, text)
        origins[key_path] = Origin("env", name=name)
    return LayerData("env", nest(dotted), origins)


def overrides_layer(overrides: Mapping[str, Any]) -> LayerData:
    """Command-line overrides given as dotted key paths (`{"kiosk.enabled": True}`)."""
    origins = {key_path: Origin("cli", name=key_path) for key_path in overrides}
    return LayerData("cli", nest(overrides), origins)


# --- stacking -----------------------------------------------------------------------------


def _merge(lower: dict[str, Any], upper: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(lower)
    for key, value in upper.items():
        below = merged.get(key)
        if isinstance(value, Mapping) and isinstance(below, dict):
            merged[key] = _merge(below, value)
        else:
            merged[key] = value
    return merged


def _switches_auth_mode(lower: Mapping[str, Any], upper: Mapping[str, Any]) -> bool:
    below, above = lower.get(AUTH_SECTION), upper.get(AUTH_SECTION)
    if not isinstance(below, dict) or not isinstance(above, Mapping) or "mode" not in above:
        return False
    return bool(below.get("mode") != above["mode"])


def stack(layers: list[LayerData]) -> LayerData:
    """All layers merged, lowest first. A layer that sets another `auth.mode` replaces the
    whole `auth` table, so one mode's keys never leak into another's."""
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for layer in layers:
        if _switches_auth_mode(values, layer.values):
            values = {k: v for k, v in values.items() if k != AUTH_SECTION}
            origins = {k: v for k, v in origins.items() if k.split(".", 1)[0] != AUTH_SECTION}
        values = _merge(values, layer.values)
        origins.update(layer.origins)
    return LayerData(layers[-1].layer if layers else "default", values, origins)


def _locked_by(admin: list[LayerData]) -> dict[str, Origin | None]:
    """Every locked key path and where it was locked: the site file's (and any policy's)
    `locks.keys`, and every key a managed policy sets (a policy is mandatory, as in Chrome)."""
    locked: dict[str, Origin | None] = {}
    for layer in admin:
        if layer.layer == "policy":
            for key_path in _leaf_paths(layer.values):
                if key_path.split(".", 1)[0] != "locks":
                    locked[key_path] = layer.origin_of(key_path)
        section = layer.values.get("locks")
        keys = section.get("keys") if isinstance(section, dict) else None
        if isinstance(keys, list):
            for key_path in keys:
                if isinstance(key_path, str) and key_path in all_keys():
                    locked.setdefault(key_path, layer.origin_of(LOCKS_KEY))
    return locked


def _unknown_locks(layer: LayerData) -> list[Problem]:
    section = layer.values.get("locks")
    locks = section.get("keys") if isinstance(section, dict) else None
    if not isinstance(locks, list):
        return []  # a malformed [locks] table is reported by validation
    known = all_keys()
    problems = []
    for index, locked in enumerate(locks):
        if not isinstance(locked, str) or locked not in known:
            hint = did_you_mean(str(locked), known) or "lock a key path like tenant.base_url"
            problems.append(
                Problem(
                    f"{LOCKS_KEY}[{index}]",
                    "not a configuration key",
                    hint,
                    repr(locked),
                    layer.origin_of(LOCKS_KEY),
                    "unknown_lock",
                )
            )
    return problems


def lock_problems(admin: list[LayerData], upper: list[LayerData]) -> list[Problem]:
    """Problems with locks: unknown locked keys, locks outside the administrators' layers (the
    site file and managed policies), and locked keys set by a layer above them (reported with
    both places)."""
    problems = []
    for layer in upper:
        if LOCKS_KEY in layer.origins or "locks" in layer.values:
            problems.append(
                Problem(
                    "locks",
                    "locks can only be set in the site file",
                    "remove [locks] here: only the site file may lock keys (check a site file "
                    "with `viewer config validate --as-site FILE`)",
                    origin=layer.origin_of("locks"),
                    code="locks_outside_site",
                )
            )
    for layer in admin:
        problems.extend(_unknown_locks(layer))
    locked = _locked_by(admin)
    for layer in upper:
        for key_path, origin in layer.origins.items():
            holder = next(
                (
                    (lock, where)
                    for lock, where in locked.items()
                    if key_path == lock or key_path.startswith(f"{lock}.")
                ),
                None,
            )
            if holder is None:
                continue
            _lock, where = holder
            by = (
                "a managed policy"
                if where is not None and where.layer == "policy"
                else "the site file"
            )
            problems.append(
                Problem(
                    key_path,
                    f"locked by {by} {where}",
                    f"remove it from {origin}; only {by} may set it",
                    origin=origin,
                    code="locked",
                )
            )
    return problems
