"""Configuration problems as a user sees them: where (file, line, key path), what is wrong, the
offending value (secrets masked) and a hint. Pydantic validates; this module presents."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from viewer.config.fields import REFERENCE_HINT
from viewer.config.paths import (
    AUTH_SECTION,
    auth_model,
    auth_modes,
    key_info,
    sibling_names,
    type_name,
)
from viewer.log import is_secret_key, scrub_text

MASK = "«masked»"
_MAX_VALUE_CHARS = 60

Layer = Literal["default", "site", "policy", "user", "env", "cli"]


@dataclass(frozen=True)
class Origin:
    """Where a configuration value came from: a layer and, for files, the line and column."""

    layer: Layer
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    name: str | None = None  # the environment variable or command-line override

    def __str__(self) -> str:
        if self.file is not None and self.name is not None:
            return f"{self.file} ({self.name})"
        if self.file is not None:
            position = "".join(f":{n}" for n in (self.line, self.column) if n is not None)
            return f"{self.file}{position}"
        if self.layer == "env":
            return f"environment {self.name}"
        if self.layer == "policy":
            return f"policy {self.name}"
        if self.layer == "cli":
            return f"command line {self.name}" if self.name else "command line"
        if self.name is not None:
            return self.name  # e.g. "installer property tenant.base_url"
        return "built-in default"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the configuration."""

    key_path: str
    message: str
    hint: str | None = None
    value: str | None = None
    origin: Origin | None = None
    code: str = "invalid"  # what kind of problem: pydantic's error type or one of ours

    def render(self) -> str:
        """`origin: key.path: message (value: …)` and an indented hint line."""
        where = f"{self.origin}: " if self.origin else ""
        named = where.endswith(f" {self.key_path}: ")  # "command line kiosk.enabled" says it
        key = f"{self.key_path}: " if self.key_path and not named else ""
        value = f" (value: {self.value})" if self.value is not None else ""
        hint = f"\n    hint: {self.hint}" if self.hint else ""
        return f"{where}{key}{self.message}{value}{hint}"


class ConfigError(Exception):
    """The configuration is not usable; `problems` lists every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """Every problem, one block each."""
        return "\n".join(problem.render() for problem in self.problems)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to `word`, if one is close enough to be a likely misspelling."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """`did you mean 'x'?` when a choice is close to `word`."""
    match = closest(word, choices)
    return f"did you mean {match!r}?" if match else None


def show_value(value: object, key_path: str, *, secret: bool = False) -> str:
    """A short, safe rendering of an offending value: secrets masked, long values cut."""
    info = key_info(key_path)
    name = key_path.rpartition(".")[2]
    # Known keys are secret when declared so; unknown ones when their name looks like a secret.
    looks_secret = info.secret if info is not None else is_secret_key(name)
    if secret or looks_secret:
        return MASK
    text = scrub_text(repr(value))
    return text if len(text) <= _MAX_VALUE_CHARS else f"{text[: _MAX_VALUE_CHARS - 1]}…"


# --- from pydantic errors -----------------------------------------------------------------


def _key_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    modes = auth_modes()
    for index, part in enumerate(loc):
        if index == 1 and loc[0] == AUTH_SECTION and part in modes:
            continue  # the discriminated-union tag pydantic inserts
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1]}[{part}]"] if parts else [f"[{part}]"]
        else:
            parts.append(str(part))
    return ".".join(parts)


def _auth_mode(loc: tuple[int | str, ...]) -> str | None:
    if len(loc) > 1 and loc[0] == AUTH_SECTION and loc[1] in auth_modes():
        return str(loc[1])
    return None


@dataclass(frozen=True)
class _Presented:
    """A pydantic error turned into words; `suggestion` is the key path an unknown key is
    probably a misspelling of."""

    path: str
    message: str
    hint: str | None
    show_value: bool = True
    suggestion: str | None = None


def _unknown_key(path: str, mode: str | None) -> _Presented:
    parent, _, name = path.rpartition(".")
    if mode is not None and parent == AUTH_SECTION:
        info = key_info(path)
        if info is not None and info.modes:
            return _Presented(
                path,
                f"not a key of auth mode {mode}",
                f"{name!r} belongs to auth mode {', '.join(info.modes)}; remove it or change mode",
            )
        siblings = list(auth_model(mode).model_fields)
    else:
        siblings = sibling_names(parent)
    match = closest(name, siblings)
    if match is None:
        return _Presented(path, "unknown key", f"known keys here: {', '.join(siblings)}")
    suggestion = f"{parent}.{match}" if parent else match
    return _Presented(path, "unknown key", f"did you mean {match!r}?", True, suggestion)


def _field_hint(path: str, kind: str) -> str | None:
    info = key_info(path)
    if info is None:
        return None
    if kind.endswith(("_type", "_parsing")):  # a value of the wrong type: say which one fits
        return f"expects {type_name(info.field.annotation)}: {info.field.description}"
    return info.field.description


def _missing_hint(path: str) -> str | None:
    info = key_info(path)
    parent, _, name = path.rpartition(".")
    described = f" ({info.field.description})" if info is not None else ""
    if info is not None and info.model is not None:
        required = [n for n, f in info.model.model_fields.items() if f.is_required()]
        keys = f" with {', '.join(required)}" if required else ""
        return f"add a [{path}] table{keys}{described}"
    table = f" under [{parent}]" if parent else ""
    return f"add {name} = …{table}{described}"


def _present(error: ErrorDetails) -> _Presented:
    loc = tuple(error["loc"])
    path = _key_path(loc)
    context: dict[str, Any] = dict(error.get("ctx") or {})
    mode = _auth_mode(loc)
    kind = error["type"]
    if "field" in context:
        path = f"{path}.{context['field']}" if path else str(context["field"])
    if kind == "missing":
        needed = f" by auth mode {mode}" if mode else ""
        return _Presented(path, f"required{needed} but missing", _missing_hint(path), False)
    if kind == "extra_forbidden":
        return _unknown_key(path, mode)
    if kind == "union_tag_invalid":
        tag = str(context.get("tag", ""))
        hint = did_you_mean(tag, auth_modes()) or f"modes: {', '.join(auth_modes())}"
        return _Presented(f"{path}.mode", f"unknown auth mode {tag!r}", hint, False)
    if kind == "union_tag_not_found":
        return _Presented(f"{path}.mode", "missing", f"set one of: {', '.join(auth_modes())}")
    if kind == "literal_error":
        expected = str(context.get("expected", ""))
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        hint = did_you_mean(str(error["input"]), choices) or f"one of: {expected}"
        return _Presented(path, "not an allowed value", hint)
    if kind == "secret_inline":
        return _Presented(path, error["msg"], REFERENCE_HINT)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _Presented(path, f"must be a table, like [{path}]", None)
    show = not isinstance(error["input"], dict) and "field" not in context
    return _Presented(path, error["msg"], _field_hint(path, kind), show)


def problems_from_validation(
    error: ValidationError, origin_of: Callable[[str], Origin | None]
) -> list[Problem]:
    """One `Problem` per mistake, located with `origin_of(key_path)`. A misspelt required key
    is one mistake: its "missing" error is folded into the "unknown key" one."""
    details = error.errors(include_url=False)
    presented = [_present(item) for item in details]
    missing = {p.path for p, d in zip(presented, details, strict=True) if d["type"] == "missing"}
    misspelt = {p.suggestion for p in presented if p.suggestion in missing}
    problems = []
    for item, detail in zip(presented, details, strict=True):
        if detail["type"] == "missing" and item.path in misspelt:
            continue
        hint = (
            f"{item.hint} ({item.suggestion} is required)"
            if item.suggestion in misspelt
            else item.hint
        )
        value = show_value(detail["input"], item.path, secret=detail["type"] == "secret_inline")
        problems.append(
            Problem(
                item.path,
                item.message,
                hint,
                value if item.show_value else None,
                origin_of(item.path),
                detail["type"],
            )
        )
    return problems
