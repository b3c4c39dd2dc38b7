"""The reachability edge: Qt's values translated to ours, reduced to online/offline for the
tenant, signalled once per change."""

from __future__ import annotations

import pytest
from PySide6.QtNetwork import QNetworkInformation
from pytestqt.qtbot import QtBot

from viewer.monitor.network import (
    NetworkMonitor,
    Reachability,
    reachability_from_qt,
    tenant_reachable,
)

QtReach = QNetworkInformation.Reachability


@pytest.mark.parametrize(
    ("qt_value", "ours"),
    [
        (QtReach.Unknown, Reachability.UNKNOWN),
        (QtReach.Disconnected, Reachability.DISCONNECTED),
        (QtReach.Local, Reachability.LOCAL),
        (QtReach.Site, Reachability.SITE),
        (QtReach.Online, Reachability.ONLINE),
    ],
)
def test_qt_values_translate(
    qt_value: QNetworkInformation.Reachability, ours: Reachability
) -> None:
    assert reachability_from_qt(qt_value) is ours


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]"])
def test_loopback_tenant_is_always_reachable(host: str) -> None:
    assert tenant_reachable(Reachability.DISCONNECTED, host)


def test_only_disconnected_means_unreachable() -> None:
    host = "acme.eu.qlikcloud.com"
    assert not tenant_reachable(Reachability.DISCONNECTED, host)
    for value in (Reachability.UNKNOWN, Reachability.LOCAL, Reachability.SITE, Reachability.ONLINE):
        assert tenant_reachable(value, host)


def test_monitor_signals_each_change_once(qtbot: QtBot) -> None:
    monitor = NetworkMonitor("acme.eu.qlikcloud.com")
    changes: list[bool] = []
    monitor.changed.connect(changes.append)
    with qtbot.waitSignal(monitor.offline, timeout=1000):
        monitor.update(Reachability.DISCONNECTED)
    monitor.update(Reachability.DISCONNECTED)
    assert not monitor.is_online
    with qtbot.waitSignal(monitor.online, timeout=1000):
        monitor.update(Reachability.SITE)
    monitor.update(Reachability.ONLINE)
    assert changes == [False, True]


def test_monitor_follows_the_qt_backend(qtbot: QtBot) -> None:
    monitor = NetworkMonitor("127.0.0.1")
    started = monitor.start()
    if started:
        assert monitor.reachability in Reachability
    assert monitor.is_online, "a loopback tenant never goes offline"
