"""Fixtures of the auth unit tests: a throw-away RSA key, tenants, and a driver that runs an auth
flow against an `httpx.MockTransport` handler (no sockets)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from viewer.auth.base import Flow, Tenant, run_flow
from viewer.auth.http import make_client

Handler = Callable[[httpx.Request], httpx.Response]


@dataclass(frozen=True)
class RsaKey:
    private_pem: str
    public_pem: str


@pytest.fixture(scope="session")
def rsa_key() -> RsaKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return RsaKey(private, public)


@pytest.fixture
def cloud() -> Tenant:
    return Tenant(
        flavor="cloud",
        base_url="https://acme.example.qlikcloud.com",
        identity="wall-1",
        web_integration_id="wi-123",
    )


@pytest.fixture
def qseow() -> Tenant:
    return Tenant(
        flavor="qseow", base_url="https://qlik.example.com", identity="wall-1", prefix="viewer"
    )


def drive_flow(flow: Flow[Any], handler: Handler) -> Any:
    """Run `flow` to its end over a MockTransport calling `handler`."""

    async def main() -> Any:
        async with asyncio.timeout(5), make_client(transport=httpx.MockTransport(handler)) as c:
            return await run_flow(c, flow)

    return asyncio.run(main())


@pytest.fixture
def drive() -> Callable[[Flow[Any], Handler], Any]:
    return drive_flow
