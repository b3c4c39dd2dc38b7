"""Helpers of the auth integration tests: a simulated tenant per test (real loopback sockets),
profiles built from its ready line, and the secret search over captured log output."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from viewer.auth.base import AuthStrategy, Flow, run_flow
from viewer.auth.http import make_client
from viewer.config.models import ViewerConfig
from viewer.sim.server import RunningSim, start_sim

T = TypeVar("T")
IDENTITY = "wall-1"


def in_sim(main: Callable[[RunningSim], Awaitable[T]], flavor: str = "cloud", **options: Any) -> T:
    """Start a simulated tenant, run `main` against it, stop the tenant; bounded in time."""

    async def body() -> T:
        async with asyncio.timeout(30), start_sim(flavor, **options) as sim:  # type: ignore[arg-type]
            return await main(sim)

    return asyncio.run(body())


async def drive(strategy: AuthStrategy, flow: Flow[T], **client: Any) -> T:
    """Run `flow` with a real client using the strategy's TLS settings (or `client` options)."""
    async with make_client(tls=client.pop("tls", strategy.tls), **client) as http:
        return await run_flow(http, flow)


async def read_text(path: str | Path) -> str:
    """A file's text, read off the event loop."""
    return await asyncio.to_thread(Path(path).read_text)


async def sim_state(sim: RunningSim) -> dict[str, Any]:
    async with httpx.AsyncClient() as http:
        return (await http.get(f"{sim.url}/_sim/state")).json()  # type: ignore[no-any-return]


async def sim_fault(sim: RunningSim, **fault: Any) -> None:
    async with httpx.AsyncClient() as http:
        reply = await http.post(f"{sim.url}/_sim/fault", json=fault)
        reply.raise_for_status()


def cloud_profile(
    sim: RunningSim, tmp: Path, *, network: dict[str, Any] | None = None, **auth: Any
) -> ViewerConfig:
    """A Qlik Cloud profile for the sim; `auth` fields override the cloud-jwt defaults."""
    jwt = sim.ready["credentials"]["jwt"]
    fields = {
        "mode": "cloud-jwt",
        "private_key": f"file:{jwt['private_key_path']}",
        "kid": jwt["kid"],
        "issuer": jwt["issuer"],
        "subject": "alice",
        "name": "Alice",
        "email": "alice@example.com",
        **auth,
    }
    app = sim.ready["apps"][0]
    return ViewerConfig.model_validate(
        {
            "tenant": {"kind": "cloud", "base_url": sim.url, "app_id": app["id"]},
            "auth": fields,
            "network": network or {},
        }
    )


def qseow_profile(sim: RunningSim, **auth: Any) -> ViewerConfig:
    """A client-managed profile for the sim (ticket proxy prefix unless `prefix` given)."""
    creds = sim.ready["credentials"]
    prefix = auth.pop("prefix", creds["virtual_proxy"]["prefix"])
    fields = {
        "qps_url": creds["qps_url"],
        "client_cert": creds["client_cert_path"],
        "client_key": creds["client_key_path"],
        "ca_cert": creds["ca_cert_path"],
        "user_directory": "SIM",
        "user_id": "alice",
        **auth,
    }
    fields = {name: value for name, value in fields.items() if value is not None}
    app = sim.ready["apps"][0]
    return ViewerConfig.model_validate(
        {
            "tenant": {"kind": "qseow", "base_url": sim.url, "prefix": prefix, "app_id": app["id"]},
            "auth": fields,
        }
    )


def header_profile(sim: RunningSim, user_id: str = "bob") -> ViewerConfig:
    """A `qseow-header` profile for the sim's header virtual proxy, signing in as SIM\\user_id."""
    header = sim.ready["credentials"]["header_auth"]
    return qseow_profile(
        sim, mode="qseow-header", prefix=header["prefix"], header_name=header["header"],
        user_id=user_id, user_directory="SIM", value_template="{user_directory}\\{user_id}",
        qps_url=None, client_cert=None, client_key=None, ca_cert=None,
    )  # fmt: skip


def assert_no_secret(log: io.StringIO, *secrets: str | None) -> None:
    """No secret value appears in the captured log (which must not be empty)."""
    text = log.getvalue()
    assert text, "nothing was logged; the secret check would prove nothing"
    for line in text.splitlines():
        json.loads(line)
    for value in secrets:
        if value:
            assert value not in text
            assert json.dumps(value)[1:-1] not in text  # as a JSON line writes it
