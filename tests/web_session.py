"""`WebSession`: a `WebContext` with the one page that shows its sheet — the shape of the web
tests of the gui and robustness tiers (the viewer's sheets take pages from the context)."""

from __future__ import annotations

from functools import cached_property

from PySide6.QtCore import QUrl

from viewer.web.context import WebContext
from viewer.web.page import ViewerPage


class WebSession(WebContext):
    """A `WebContext` (built the same way) that owns one page, made when first used.

    Call `apply_grant(grant)` and wait for `cookies.applied` before `load(url)`: then the very
    first request of the view already carries the session.
    """

    @cached_property
    def page(self) -> ViewerPage:
        return self.new_page()

    def load(self, url: str) -> None:
        """Load `url` in the page (after its renderer warm-up, if one is under way)."""
        self.page.open(QUrl(url))

    def close(self) -> None:
        """Schedule the page's deletion, then this object's (and so the profile's): deferred
        deletions run in order, so the page goes before its profile."""
        if "page" in self.__dict__:
            self.page.deleteLater()
            del self.page
        super().close()
