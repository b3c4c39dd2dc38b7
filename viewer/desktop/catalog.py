"""The tenant's apps and an app's sheets, as the hub lists them.

Apps: on Qlik Cloud from the items API (`GET /api/v1/items?resourceType=app`, page by page via
`links.next`), which gives the space's and the owner's ids; their names come from
`GET /api/v1/spaces` and `GET /api/v1/users/{id}` (an id the tenant does not name is shown as it
is). Where a tenant does not offer the items API (it answers 404) and on client-managed sites,
from the engine's `GetDocList` on `app/engineData`.
Sheets: from the engine (the app opened with the profile's identity, so a tab opened on it
afterwards finds the session ready). Every call goes through the profile's one grant.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from viewer.auth.base import Flow, Tenant, grant_request, is_unauthenticated, run_flow
from viewer.auth.errors import AuthError, SessionExpired, server_reason
from viewer.auth.session import default_client_factory
from viewer.core.grant import SessionGrant
from viewer.core.urls import ENGINE_DATA_APP
from viewer.engine.errors import EngineClientError
from viewer.sheet.connect import ConnectPath, close_quietly

if TYPE_CHECKING:
    import httpx

_FAILURES = (AuthError, EngineClientError, OSError, TimeoutError)
MAX_ITEM_PAGES = 50  # 50 pages of 100: more apps than any hub list is useful for
MAX_OWNER_LOOKUPS = 50  # owners named one request each; the rest keep their ids


@dataclass(frozen=True)
class AppEntry:
    """One app the user may open."""

    id: str
    name: str
    space: str = ""  # Cloud: the space (id); client-managed: the stream, when known
    owner: str = ""
    last_reload: str = ""  # ISO 8601 as the tenant reports it, "" when never reloaded
    description: str = ""

    def matches(self, text: str) -> bool:
        """True when every word of `text` appears in the name, space, owner or description."""
        haystack = " ".join((self.name, self.space, self.owner, self.description)).casefold()
        return all(word in haystack for word in text.casefold().split())


@dataclass(frozen=True)
class SheetEntry:
    """One sheet of an app."""

    id: str
    title: str
    description: str = ""


class CatalogError(Exception):
    """The tenant could not list its apps or an app's sheets (the message says why)."""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def apps_from_items(items: list[Any], names: Mapping[str, str] | None = None) -> Iterator[AppEntry]:
    """AppEntries from the items API's `data` (entries without a resource id are skipped); the
    space and owner ids are shown by their `names` where known."""
    names = names or {}
    for item in items:
        if not isinstance(item, Mapping):
            continue
        attributes = item.get("resourceAttributes")
        attributes = attributes if isinstance(attributes, Mapping) else {}
        app_id = _text(item.get("resourceId")) or _text(attributes.get("id"))
        if not app_id:
            continue
        yield AppEntry(
            id=app_id,
            name=_text(item.get("name")) or _text(attributes.get("name")) or app_id,
            space=_named(names, _text(item.get("spaceId")) or _text(attributes.get("spaceId"))),
            owner=_named(names, _text(item.get("ownerId")) or _text(attributes.get("owner"))),
            last_reload=_text(attributes.get("lastReloadTime")),
            description=_text(item.get("description")) or _text(attributes.get("description")),
        )


def apps_from_doc_list(docs: list[Any]) -> Iterator[AppEntry]:
    """AppEntries from the engine's `qDocList`."""
    for doc in docs:
        if not isinstance(doc, Mapping) or not _text(doc.get("qDocId")):
            continue
        meta = doc.get("qMeta")
        meta = meta if isinstance(meta, Mapping) else {}
        stream = meta.get("stream")
        yield AppEntry(
            id=_text(doc.get("qDocId")),
            name=_text(doc.get("qTitle")) or _text(doc.get("qDocName")) or _text(doc.get("qDocId")),
            space=_text(stream.get("name")) if isinstance(stream, Mapping) else "",
            owner=_text(meta.get("owner", {}).get("name"))
            if isinstance(meta.get("owner"), Mapping)
            else "",
            last_reload=_text(doc.get("qLastReloadTime")),
            description=_text(meta.get("description")),
        )


def _named(names: Mapping[str, str], identifier: str) -> str:
    return names.get(identifier, identifier)


class ItemsUnavailable(Exception):
    """The tenant has no such API (HTTP 404): for apps, the engine's doc list is asked instead."""


def cloud_app_items(tenant: Tenant, grant: SessionGrant) -> Flow[list[Any]]:
    """Every app item the user may see, following `links.next` page by page."""
    first = "api/v1/items?resourceType=app&limit=100"
    return (yield from _cloud_pages(tenant, grant, first, "its apps"))


def cloud_names(tenant: Tenant, grant: SessionGrant, items: list[Any]) -> Flow[dict[str, str]]:
    """The names of the spaces (one listing) and owners (one request each, at most
    `MAX_OWNER_LOOKUPS`) of `items`, by id; what the tenant will not tell stays out."""
    names: dict[str, str] = {}
    try:
        spaces = yield from _cloud_pages(tenant, grant, "api/v1/spaces?limit=100", "its spaces")
    except (ItemsUnavailable, AuthError):
        spaces = []
    for space in spaces:
        if isinstance(space, Mapping) and _text(space.get("id")) and _text(space.get("name")):
            names[_text(space["id"])] = _text(space["name"])
    owners = sorted({_text(i.get("ownerId")) for i in items if isinstance(i, Mapping)} - {""})
    for owner in owners[:MAX_OWNER_LOOKUPS]:
        url = tenant.url(f"api/v1/users/{owner}")
        response = yield grant_request("GET", url, grant, headers=_cloud_headers(tenant))
        body = _json(response) if response.status_code == 200 else None
        if isinstance(body, Mapping) and _text(body.get("name")):
            names[owner] = _text(body["name"])
    return names


def _cloud_headers(tenant: Tenant) -> dict[str, str]:
    """What a Cloud REST call adds to the grant's headers (the web integration, if any)."""
    if tenant.web_integration_id:
        return {"qlik-web-integration-id": tenant.web_integration_id}
    return {}


def _json(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def _cloud_pages(tenant: Tenant, grant: SessionGrant, first: str, what: str) -> Flow[list[Any]]:
    """Every record of a paged Cloud listing (`data`, `links.next`) starting at `first`."""
    url: str | None = tenant.url(first)
    headers = _cloud_headers(tenant)
    items: list[Any] = []
    for _page in range(MAX_ITEM_PAGES):
        if url is None:
            break
        response = yield grant_request("GET", url, grant, headers=headers)
        if response.status_code == 404:
            raise ItemsUnavailable
        if is_unauthenticated(response):
            raise SessionExpired("The Qlik session has ended; the items API refused the request.")
        if response.status_code != 200:
            raise AuthError(
                f"The tenant refused to list {what} (HTTP {response.status_code}: "
                f"{server_reason(response)}).",
                status=response.status_code,
            )
        body = response.json()
        items += body.get("data", []) if isinstance(body, Mapping) else []
        following = body.get("links", {}).get("next") if isinstance(body, Mapping) else None
        href = following.get("href") if isinstance(following, Mapping) else None
        url = urljoin(url, href) if isinstance(href, str) and href else None
    return items


class Catalog:
    """Lists apps and sheets for one profile, along its connect path (`path`)."""

    def __init__(self, path: ConnectPath, tenant: Tenant) -> None:
        self.path = path
        self.tenant = tenant

    async def apps(self) -> list[AppEntry]:
        """The apps the user may open, by name."""
        entries: list[AppEntry] | None = None
        if self.tenant.flavor == "cloud":
            entries = await self._cloud_apps()
        if entries is None:
            entries = await self._engine_apps()
        return sorted(entries, key=lambda entry: entry.name.casefold())

    async def _cloud_apps(self) -> list[AppEntry] | None:
        grant = await self.path.auth.grant()
        strategy = self.path.auth.strategy
        try:
            async with default_client_factory(strategy) as client:
                items = await run_flow(client, cloud_app_items(self.tenant, grant))
                names = await run_flow(client, cloud_names(self.tenant, grant, items))
        except ItemsUnavailable:
            return None
        except (AuthError, OSError) as error:
            raise CatalogError(str(error)) from error
        return list(apps_from_items(items, names))

    async def _engine_apps(self) -> list[AppEntry]:
        try:
            _grant, session, global_ = await self.path.open_engine(ENGINE_DATA_APP, _ignore)
        except _FAILURES as error:
            raise CatalogError(f"The engine could not list the apps: {error}") from error
        try:
            docs = await asyncio.wait_for(global_.get_doc_list(), self._step_s)
        except _FAILURES as error:
            raise CatalogError(f"The engine could not list the apps: {error}") from error
        finally:
            await close_quietly(session)
        return list(apps_from_doc_list(docs))

    async def sheets(self, app_id: str) -> list[SheetEntry]:
        """The app's sheets in their order (title, description)."""
        try:
            _grant, session, global_ = await self.path.open_engine(app_id, _ignore)
        except _FAILURES as error:
            raise CatalogError(f"The app's sheets could not be listed: {error}") from error
        try:
            doc = await self.path.open_app(global_, app_id)
            sheets = await asyncio.wait_for(doc.get_sheet_list(), self._step_s)
        except _FAILURES as error:
            raise CatalogError(f"The app's sheets could not be listed: {error}") from error
        finally:
            await close_quietly(session)
        return [
            SheetEntry(
                id=str(sheet["id"]),
                title=_text(sheet.get("title")) or str(sheet["id"]),
                description=_text(sheet.get("description")),
            )
            for sheet in sheets
        ]

    @property
    def _step_s(self) -> float:
        return self.path.config.network.connect_step_timeout_s


def _ignore(_event: object) -> None:
    """The catalogue's short-lived sockets report nothing: their outcome is the listing."""
