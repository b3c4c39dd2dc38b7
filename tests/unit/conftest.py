"""The unit tier: pure logic only. Any attempt to open a network socket fails the test."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

_NETWORK_FAMILIES = (socket.AF_INET, socket.AF_INET6)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real_connect = socket.socket.connect
    real_bind = socket.socket.bind

    def guard(real):  # type: ignore[no-untyped-def]
        def call(self: socket.socket, address: object) -> object:
            if self.family in _NETWORK_FAMILIES:
                raise RuntimeError(
                    f"unit tests must not use the network (tried {address!r}); "
                    "move the test to tests/integration"
                )
            return real(self, address)

        return call

    monkeypatch.setattr(socket.socket, "connect", guard(real_connect))
    monkeypatch.setattr(socket.socket, "bind", guard(real_bind))
    return
