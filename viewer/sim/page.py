"""The simulated tenant's `/single/` page: checks the link's parameters against the apps and
renders the HTML that loads the page's JavaScript (resources/sim/single), or a Qlik-like error
page; the JavaScript then talks to the engine over its own websocket."""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any, Final

from aiohttp import web
from multidict import MultiMapping

from viewer.core.resources import resources_dir
from viewer.sim.engine.data import App

DEFAULT_LANG: Final = "en"
THEMES: Final = ("sense", "horizon", "dark")
OPTIONS: Final = frozenset({"currsel", "noselections"})
ASSETS_URL: Final = "/resources/sim/single"
_ASSETS_URL_KEY: Final = web.AppKey("sim_single_assets_url", str)
_SINGLE_PATH: Final = re.compile(r"/single/?$")
_PLACEHOLDER: Final = re.compile(r"\{(\w+)\}")
_DEFAULT_STATE: Final = "$::"


def assets_dir() -> Path:
    """The page's template, labels, script and style sheet."""
    return resources_dir() / "sim" / "single"


@functools.cache
def _template(name: str) -> Template:
    return Template((assets_dir() / name).read_text(encoding="utf-8"))


@functools.cache
def _all_labels() -> Mapping[str, Mapping[str, str]]:
    labels: dict[str, dict[str, str]] = json.loads(
        (assets_dir() / "labels.json").read_text(encoding="utf-8")
    )
    return labels


def labels_for(lang: str) -> Mapping[str, str]:
    """The page's texts in `lang` (`de`, `de-DE`, ...), English for unknown languages."""
    return _all_labels()[language(lang)]


def language(lang: str) -> str:
    """The supported language a `lang` parameter asks for (its primary subtag), else English."""
    primary = re.split(r"[-_]", lang, maxsplit=1)[0].lower()
    return primary if primary in _all_labels() else DEFAULT_LANG


def fill(text: str, **values: str) -> str:
    """Replace `{name}` placeholders the way the page's JavaScript does."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)


@dataclass(frozen=True)
class FieldSelection:
    """One `select=` parameter: a field and the values to select in it."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class SingleLink:
    """What a `/single/` link asks for, read from its query string."""

    app_id: str
    sheet_id: str | None = None
    object_id: str | None = None
    identity: str | None = None
    options: tuple[str, ...] = ()
    theme: str | None = None
    lang: str = DEFAULT_LANG
    selections: tuple[FieldSelection, ...] = ()
    bookmark: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageError(Exception):
    """A link the page cannot show: HTTP status, a machine code and the label of its message."""

    status: int
    code: str
    label: str
    subject: str = ""


def _comma_list(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _selection(value: str) -> FieldSelection | None:
    """`Field,value[,value…]` (optionally `$::Field,…`) or None when it names no value."""
    field_name, *values = (part.strip() for part in value.split(","))
    field_name = field_name.removeprefix(_DEFAULT_STATE)
    values = [v for v in values if v]
    return FieldSelection(field_name, tuple(values)) if field_name and values else None


def parse_link(query: MultiMapping[str]) -> SingleLink:
    """The link's parameters; PageError when it names no app. Unknown options and themes and
    malformed selections are dropped with a warning (Qlik ignores them too)."""
    app_id = query.get("appid", "").strip()
    if not app_id:
        raise PageError(400, "missing-app", "missingApp")
    warnings: list[str] = []
    options = _comma_list(query.getall("opt", []))
    warnings += [f"opt: unknown option {o}" for o in options if o not in OPTIONS]
    theme = query.get("theme", "").strip() or None
    if theme is not None and theme not in THEMES:
        warnings.append(f"theme: unknown theme {theme}")
        theme = None
    selections = []
    for raw in query.getall("select", []):
        selection = _selection(raw)
        if selection is None:
            warnings.append(f"select: expected field,value but got {raw!r}")
        else:
            selections.append(selection)
    return SingleLink(
        app_id=app_id,
        sheet_id=query.get("sheet", "").strip() or None,
        object_id=query.get("obj", "").strip() or None,
        identity=query.get("identity", "").strip() or None,
        options=tuple(o for o in options if o in OPTIONS),
        theme=theme,
        lang=language(query.get("lang", DEFAULT_LANG)),
        selections=tuple(selections),
        bookmark=query.get("bookmark", "").strip() or None,
        warnings=tuple(warnings),
    )


def _title(app: App, part: str) -> str:
    return f"{app.info.name} - {part}"


def resolve(link: SingleLink, apps: Sequence[App]) -> tuple[str, str | None]:
    """The page title and the sheet to show (the app's first sheet when the link names neither
    sheet nor object); raises PageError for what does not exist."""
    app = next((a for a in apps if a.info.id == link.app_id), None)
    if app is None:
        raise PageError(404, "app-not-found", "appNotFound", link.app_id)
    if link.object_id is not None:
        if link.object_id not in app.objects:
            raise PageError(404, "object-not-found", "objectNotFound", link.object_id)
        title = str(app.objects[link.object_id].get("title") or link.object_id)
        return _title(app, title), None
    sheets = {sheet.id: sheet for sheet in app.info.sheets}
    sheet_id = link.sheet_id or next(iter(sheets), "")
    if sheet_id not in sheets:
        raise PageError(404, "sheet-not-found", "sheetNotFound", sheet_id)
    return _title(app, sheets[sheet_id].title), sheet_id


def path_prefix(path: str) -> str:
    """The virtual-proxy prefix a `/single/` request came through (`/sim/single/` -> `/sim`)."""
    return _SINGLE_PATH.sub("", path).rstrip("/")


def csrf_paths(prefix: str) -> list[str]:
    """Where the page asks for its csrf token, in order: the client-managed proxy's
    `<prefix>/qps/csrftoken` first behind a prefix, Qlik Cloud's `/api/v1/csrf-token` first
    otherwise (the page takes the first reply that carries the `qlik-csrf-token` header)."""
    qps, cloud = f"{prefix}/qps/csrftoken", "/api/v1/csrf-token"
    return [qps, cloud] if prefix else [cloud, qps]


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside a <script> element (no `</script>`, no HTML comment openers)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_single(
    link: SingleLink, title: str, sheet_id: str | None, *, prefix: str, assets_url: str
) -> str:
    """The page's HTML for a link that names an existing app and sheet or object."""
    labels = labels_for(link.lang)
    config = {
        "appId": link.app_id,
        "sheetId": sheet_id,
        "objectId": link.object_id,
        "identity": link.identity,
        "prefix": prefix,
        "csrfPaths": csrf_paths(prefix),
        "options": list(link.options),
        "theme": link.theme,
        "themes": list(THEMES),
        "lang": link.lang,
        "labels": labels,
        "selections": [{"field": s.field, "values": list(s.values)} for s in link.selections],
        "bookmark": link.bookmark,
        "warnings": list(link.warnings),
    }
    return _template("single.html").substitute(
        lang=link.lang,
        title=html.escape(title),
        static=html.escape(assets_url),
        config=_json_for_script(config),
        theme=html.escape(link.theme or THEMES[0]),
        loading=html.escape(labels["loading"]),
    )


def render_error(error: PageError, lang: str, *, assets_url: str) -> str:
    """A Qlik-like error page: a dialog with a title and what is wrong, `data-state="error"`."""
    labels = labels_for(lang)
    title = labels["badRequestTitle" if error.status == 400 else "notFoundTitle"]
    return _template("error.html").substitute(
        lang=language(lang),
        title=html.escape(title),
        message=html.escape(fill(labels[error.label], id=error.subject)),
        error=html.escape(error.code),
        static=html.escape(assets_url),
        theme=THEMES[0],
    )


async def single_page(request: web.Request, apps: Sequence[App]) -> web.Response:
    """`/single/?appid=…&sheet=…|obj=…&identity=…&opt=…&theme=…&lang=…&select=…&bookmark=…`
    for a request the flavour has already authenticated."""
    assets_url = request.config_dict.get(_ASSETS_URL_KEY, ASSETS_URL)
    try:
        link = parse_link(request.query)
        title, sheet_id = resolve(link, apps)
    except PageError as error:
        lang = request.query.get("lang", DEFAULT_LANG)
        body = render_error(error, lang, assets_url=assets_url)
        return web.Response(status=error.status, text=body, content_type="text/html")
    body = render_single(
        link, title, sheet_id, prefix=path_prefix(request.path), assets_url=assets_url
    )
    return web.Response(text=body, content_type="text/html", headers={"Cache-Control": "no-store"})


def add_static_routes(app: web.Application, prefix: str = "") -> None:
    """Serve the page's assets at `<prefix>/resources/sim/single/`; pages rendered by `app`
    link to them there."""
    url = f"{prefix.rstrip('/')}{ASSETS_URL}"
    app[_ASSETS_URL_KEY] = url
    app.router.add_static(url, assets_dir(), append_version=False)
