"""Network reachability from Qt (QNetworkInformation), translated at this edge into our own
`Reachability` and reduced to what the viewer needs: can the tenant be reached, online/offline.

A silent network that still claims to be up is not caught here but by the engine keepalive.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from typing import Final

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QNetworkInformation

from viewer.log import emit, get_logger

_log = get_logger("monitor")


class Reachability(StrEnum):
    """How far the machine's network reaches (our names for Qt's values)."""

    UNKNOWN = "unknown"  # no backend, or it cannot tell
    DISCONNECTED = "disconnected"
    LOCAL = "local"  # a network with local connectivity only
    SITE = "site"  # the site's network, no internet
    ONLINE = "online"


_FROM_QT: Final = {
    QNetworkInformation.Reachability.Unknown: Reachability.UNKNOWN,
    QNetworkInformation.Reachability.Disconnected: Reachability.DISCONNECTED,
    QNetworkInformation.Reachability.Local: Reachability.LOCAL,
    QNetworkInformation.Reachability.Site: Reachability.SITE,
    QNetworkInformation.Reachability.Online: Reachability.ONLINE,
}


def reachability_from_qt(value: QNetworkInformation.Reachability) -> Reachability:
    """Our value for a Qt reachability (UNKNOWN for anything Qt may add later)."""
    return _FROM_QT.get(value, Reachability.UNKNOWN)


def is_loopback_host(host: str) -> bool:
    """True for `localhost` and loopback addresses (the simulated tenant)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def tenant_reachable(reachability: Reachability, tenant_host: str) -> bool:
    """Whether the tenant may be reached. Only DISCONNECTED says no: a site's server is reachable
    with local or site connectivity, and an unknown answer must not hide a working sheet. A
    loopback tenant is always reachable."""
    return reachability is not Reachability.DISCONNECTED or is_loopback_host(tenant_host)


class NetworkMonitor(QObject):
    """Emits `offline` when the tenant becomes unreachable and `online` when it comes back
    (`changed(bool)` for both); logs `network.online {online, reachability}` on each change."""

    online = Signal()
    offline = Signal()
    changed = Signal(bool)

    def __init__(self, tenant_host: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tenant_host = tenant_host
        self._reachability = Reachability.UNKNOWN
        self._online = True

    @property
    def is_online(self) -> bool:
        return self._online

    @property
    def reachability(self) -> Reachability:
        return self._reachability

    def start(self) -> bool:
        """Load Qt's reachability backend and follow it; False (and always online) without one."""
        feature = QNetworkInformation.Feature.Reachability
        info = QNetworkInformation.instance()
        if info is None or not info.supports(feature):
            QNetworkInformation.loadBackendByFeatures(feature)
            info = QNetworkInformation.instance()
        if info is None or not info.supports(feature):
            emit(_log, "network.backend_missing", available=QNetworkInformation.availableBackends())
            return False
        info.reachabilityChanged.connect(self._on_network_reachability_changed)
        emit(_log, "network.backend", name=info.backendName())
        self.update(reachability_from_qt(info.reachability()))
        return True

    def update(self, reachability: Reachability) -> None:
        """Take a new reachability; signal when that changes whether the tenant is reachable."""
        self._reachability = reachability
        online = tenant_reachable(reachability, self._tenant_host)
        if online == self._online:
            return
        self._online = online
        emit(_log, "network.online", online=online, reachability=reachability.value)
        self.changed.emit(online)
        (self.online if online else self.offline).emit()

    def _on_network_reachability_changed(self, value: QNetworkInformation.Reachability) -> None:
        self.update(reachability_from_qt(value))
