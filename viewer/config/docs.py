"""The configuration reference (docs/configuration.md), generated from the models so that it
can never disagree with what the viewer accepts."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from viewer.config.models import AUTH_MODELS, REQUIRED_UNLESS, ViewerConfig, auth_mode_of
from viewer.config.paths import AUTH_SECTION, section_model, type_name

REFERENCE_PATH = Path("docs") / "configuration.md"

_INTRO = """\
# Configuration reference

<!-- Generated from viewer/config/models.py by `viewer config docs --output
docs/configuration.md`. Do not edit by hand: tests/unit/config fails when it is stale. -->

A profile is a TOML file. Values are layered, lowest first:

1. built-in defaults (the *Default* column below);
2. the **site file** an installer ships (`site.toml` in the platform's site configuration
   directory, e.g. `/etc/xdg/viewer/site.toml` on Linux). It may lock keys with
   `[locks] keys = ["tenant.base_url", "auth"]`; a later layer that sets a locked key is an error;
3. **managed policies**, the way administrators pre-configure Chrome: `*.toml` files in
   `/etc/viewer/policies/managed/` on Linux, values under
   `HKLM\\Software\\Policies\\ViewerProject\\Viewer` on Windows (Group Policy template:
   `packaging/make_installer_files.py`), managed preferences of `org.viewerproject.viewer` on
   macOS (a configuration profile). Every key a policy sets is locked;
4. the **user profile**: `profiles/<name>.toml` in the user configuration directory (e.g.
   `~/.config/viewer/profiles/default.toml`), or the file given with `--config`;
5. the **environment**: `VIEWER_<SECTION>__<KEY>`, e.g. `VIEWER_TENANT__APP_ID=…`
   (lists as JSON: `VIEWER_TENANT__SHEETS='["a", "b"]'`);
6. **command-line** overrides.

`viewer` (or `viewer run`) with no profile named opens the site's own configuration when the
site file and policies make a complete one, else the profile last started, else `default`.

Secrets are never written into a file: keys marked *secret reference* take `env:NAME`,
`keyring:SERVICE/USER` or `file:PATH`. Relative paths in a file are relative to that file.
Check a file with `viewer config validate FILE`; see the effective values with
`viewer config show`. A tested example profile for every auth mode is in
[docs/examples/](examples/); `viewer profile paths` shows where a profile keeps its stored
sign-in, web profile and log on this machine.
"""


def _default(field: FieldInfo, keys: frozenset[str]) -> str:
    if field.is_required():
        return "**required**"
    other = _required_unless(field)
    if other is not None:
        return f"**required** unless `{other}` is set" if other in keys else "**required**"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return "(table)"
    if value is None:
        return "unset"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _required_unless(field: FieldInfo) -> str | None:
    extra = field.json_schema_extra
    other = extra.get(REQUIRED_UNLESS) if isinstance(extra, dict) else None
    return other if isinstance(other, str) else None


def _row(name: str, field: FieldInfo, keys: frozenset[str]) -> str:
    kind = type_name(field.annotation)
    if _required_unless(field) is not None:
        kind = kind.removesuffix(" (optional)")
    cells = (f"`{name}`", kind, _default(field, keys), field.description or "")
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _table(model: type[BaseModel], heading: str, skip: tuple[str, ...] = ()) -> list[str]:
    keys = frozenset(model.model_fields)
    rows = [
        _row(name, field, keys)
        for name, field in model.model_fields.items()
        if name not in skip and section_model(field.annotation) is None
    ]
    lines = [heading, "", (model.__doc__ or "").strip(), ""]
    if not rows:
        return [*lines, "No keys besides `mode`.", ""]
    return [*lines, "| Key | Type | Default | Description |", "|---|---|---|---|", *rows, ""]


def _sections(model: type[BaseModel], prefix: str) -> list[str]:
    lines = []
    for name, field in model.model_fields.items():
        child = section_model(field.annotation)
        if child is not None:
            path = f"{prefix}{name}"
            lines += _table(child, f"## [{path}]")
            lines += _sections(child, f"{path}.")
    return lines


def _auth_sections() -> list[str]:
    auth_field = ViewerConfig.model_fields[AUTH_SECTION]
    lines = ["## [auth]", "", auth_field.description or "", ""]
    for model in AUTH_MODELS:
        lines += _table(model, f'### mode = "{auth_mode_of(model)}"', skip=("mode",))
    return lines


def render_reference() -> str:
    """The whole reference page as Markdown."""
    lines = [_INTRO]
    for name, field in ViewerConfig.model_fields.items():
        child = section_model(field.annotation)
        if name == AUTH_SECTION:
            lines += _auth_sections()
        elif child is not None:
            lines += _table(child, f"## [{name}]")
            lines += _sections(child, f"{name}.")
    return "\n".join(lines).rstrip("\n") + "\n"
