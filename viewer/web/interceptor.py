"""`GrantHeaderInterceptor`: adds the grant's headers (a header-auth user, `Authorization:
Bearer`) to the view's page and frame loads of the tenant origin (`NavigationPolicy.headers_for`
says why only those). It runs on Qt's I/O thread, so it only reads an immutable snapshot, asks
the pure policy, and never raises."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QByteArray, QObject
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor

from viewer.web.policy import NavigationPolicy

_NAVIGATIONS = frozenset(
    {
        QWebEngineUrlRequestInfo.ResourceType.ResourceTypeMainFrame,
        QWebEngineUrlRequestInfo.ResourceType.ResourceTypeSubFrame,
    }
)


class GrantHeaderInterceptor(QWebEngineUrlRequestInterceptor):
    """Install with `profile.setUrlRequestInterceptor(interceptor)`; update with `set_headers`."""

    def __init__(self, policy: NavigationPolicy, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self._by_name: Mapping[str, str] = {}

    def set_headers(self, headers: Mapping[str, str]) -> None:
        """Replace the headers (one reference swap: safe against the I/O thread reading)."""
        self._by_name = dict(headers)

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        try:
            headers = self._policy.headers_for(
                info.requestUrl().toString(),
                self._by_name,
                navigation=info.resourceType() in _NAVIGATIONS,
            )
            for name, value in headers.items():
                info.setHttpHeader(QByteArray(name.encode()), QByteArray(value.encode()))
        except Exception:  # noqa: S110 - an exception here would abort the process
            pass
