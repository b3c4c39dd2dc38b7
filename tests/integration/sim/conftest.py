"""Helpers for the sim's own integration tests: signed JWTs and Cloud cookie sign-in."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

JwtFactory = Callable[..., str]


@pytest.fixture
def make_jwt(cloud_sim: Any) -> JwtFactory:
    """`make_jwt(drop=("nbf",), alg=..., key=..., **claim_overrides)` -> a token for the sim."""
    trust = cloud_sim.credentials["jwt"]
    private_key = Path(trust["private_key_path"]).read_bytes()

    def make(
        *,
        drop: tuple[str, ...] = (),
        headers: dict[str, Any] | None = None,
        algorithm: str = "RS256",
        key: bytes | str | None = None,
        **overrides: Any,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": trust["issuer"],
            "aud": trust["audience"],
            "sub": "carol",
            "subType": "user",
            "name": "Carol",
            "email": "carol@example.com",
            "email_verified": True,
            "jti": str(uuid.uuid4()),
            "iat": now,
            "nbf": now - 5,
            "exp": now + 300,
            "groups": ["Sales"],
        }
        claims.update(overrides)
        for name in drop:
            claims.pop(name)
        header = {"kid": trust["kid"], **(headers or {})}
        return jwt.encode(claims, key or private_key, algorithm=algorithm, headers=header)

    return make


@pytest.fixture
def cloud_login(cloud_sim: Any) -> Iterator[Callable[..., httpx.Client]]:
    """`cloud_login("alice")` -> an httpx client signed in through the login form."""
    clients: list[httpx.Client] = []
    passwords = {u["username"]: u["password"] for u in cloud_sim.credentials["users"]}

    def login(username: str = "alice") -> httpx.Client:
        client = httpx.Client(base_url=cloud_sim.url, timeout=10.0)
        clients.append(client)
        form = {"username": username, "password": passwords[username]}
        reply = client.post("/login", data=form)
        assert reply.status_code == 302, reply.text
        return client

    yield login
    for client in clients:
        client.close()


class EngineSocket:
    """A raw engine websocket client (the `websockets` sync client) with JSON helpers."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self._next_id = 0

    def recv_json(self, timeout: float = 5.0) -> dict[str, Any]:
        frame: dict[str, Any] = json.loads(self.connection.recv(timeout=timeout))
        return frame

    def send(self, method: str, params: Any = None, handle: int = -1) -> int:
        self._next_id += 1
        frame = {"jsonrpc": "2.0", "id": self._next_id, "handle": handle, "method": method}
        self.connection.send(json.dumps({**frame, "params": params or []}))
        return self._next_id

    def answer(self, request_id: int, timeout: float = 5.0) -> dict[str, Any]:
        """The reply to `request_id`, skipping notifications and change frames."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.recv_json(max(0.01, deadline - time.monotonic()))
            if frame.get("id") == request_id:
                return frame

    def closed(self, timeout: float = 5.0) -> ConnectionClosed:
        """Read until the socket ends; the ConnectionClosed that says how."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.connection.recv(timeout=max(0.01, deadline - time.monotonic()))
            except ConnectionClosed as ended:
                return ended


@pytest.fixture
def engine_socket() -> Iterator[Callable[..., EngineSocket]]:
    """`engine_socket(url, headers={...})` -> an open EngineSocket, closed at teardown."""
    with ExitStack() as stack:

        def open_socket(
            url: str, headers: dict[str, str] | None = None, **options: Any
        ) -> EngineSocket:
            manager = connect(url, additional_headers=headers, open_timeout=5, **options)
            return EngineSocket(stack.enter_context(manager))

        yield open_socket
