"""Facts from the engine session and the sheet page, translated once into the state machine's
events (`viewer.core.state`): the caller keeps no flags of its own about what a fact means.

Pure: no Qt, no I/O. The engine's session events and the page's reports go in; the machine's
events (or None, when a fact is not news to the machine) come out.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from viewer.core import state as vs
from viewer.core.closes import CloseKind, Initiator
from viewer.engine import events as engine_events

SILENT = "network.silent"  # the reason key of a close noticed by keepalive


@dataclass
class EngineFacts:
    """What the engine's events told so far that changes how later ones read."""

    suspended_silently: bool = False  # the last suspend was noticed by keepalive


def from_session_event(event: engine_events.SessionEvent, facts: EngineFacts) -> vs.Event | None:
    """The machine event for one engine session event (None: not news to the machine)."""
    match event:
        case engine_events.Suspended(initiator=initiator, code=code, reason=reason):
            who = Initiator.LOCAL if initiator == "manual" else Initiator.NETWORK
            suspended = (
                vs.EngineSuspended(event.classification)
                if event.classification is not None
                else vs.EngineSuspended.from_close(who, code, reason)
            )
            facts.suspended_silently = suspended.classification.reason_key == SILENT
            return suspended
        case engine_events.Resumed(attached=attached):
            # After a silent network the page's own socket may be dead without knowing it (no
            # keepalive in the page): its numbers cannot be trusted, it must be reloaded.
            return vs.EngineResumed(attached and not facts.suspended_silently)
        case engine_events.Closed(classification=classification):
            if classification.kind is CloseKind.AUTH_REQUIRED:
                return vs.AuthRequired(classification.reason_key)
            return vs.EngineClosed(classification)
    return None


def same_page(url: str, sheet_url: str | None) -> bool:
    """True when `url` is the sheet page `sheet_url` (scheme, host and path; the query may
    differ by what the server added)."""
    if not sheet_url:
        return False
    expected, actual = urlsplit(sheet_url), urlsplit(url)
    return (actual.scheme, actual.netloc, actual.path) == (
        expected.scheme,
        expected.netloc,
        expected.path,
    )


def from_page_loaded(url: str, sheet_url: str | None) -> vs.Event:
    """A finished page load: the sheet; a page that is no web page at all (`about:blank` after
    a history step, `data:`), which only needs the sheet back; or any other page, which is
    where the tenant sends a visitor without a session (its login, or its identity
    provider's). Never LIVE on a page that is not the sheet."""
    if same_page(url, sheet_url):
        return vs.PageLoaded()
    if urlsplit(url).scheme not in ("http", "https"):
        return vs.PageFailed("page.left_sheet")
    return vs.AuthRequired("http.auth_required")


def from_page_socket_closed() -> vs.Event:
    """The page's own engine socket closed outside a page load: whatever our session says, the
    page stopped updating and must be reloaded before it is shown again."""
    return vs.PageFailed(vs.PAGE_SOCKET_LOST)
