"""Fixtures for integration tests: a simulated tenant on loopback, run in a background thread
with its own event loop, so sync, asyncio and Qt tests can all use it.

Available to every helper from the start of the sim's development: `cloud_sim` and `qseow_sim`
yield a `SimHandle` with `.url`, `.ready` (the ready-line dict), `.credentials`, `.client`
(a `SimAdmin` with `fault(kind, **params)` and `state()` over real HTTP) and `.tenant` (the
live state, read it only from the sim's thread or for simple lookups). `make_sim(flavor, tls=...,
**options)` starts one with other options (see `viewer.sim.tenant.SimOptions`).
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from viewer.sim.server import RunningSim, start_sim

START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


class SimAdmin:
    """The sim's admin routes over HTTP: inject faults, read the state."""

    def __init__(self, url: str, verify: ssl.SSLContext | bool) -> None:
        self._http = httpx.Client(base_url=url, verify=verify, timeout=10.0)

    def fault(self, kind: str, **params: Any) -> dict[str, Any]:
        """POST /_sim/fault; raises on a non-2xx reply."""
        response = self._http.post("/_sim/fault", json={"kind": kind, **params})
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def state(self) -> dict[str, Any]:
        """GET /_sim/state."""
        response = self._http.get("/_sim/state")
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def close(self) -> None:
        self._http.close()


@dataclass
class SimHandle:
    """A running sim seen from the test thread."""

    running: RunningSim
    loop: asyncio.AbstractEventLoop
    client: SimAdmin

    @property
    def url(self) -> str:
        return self.running.url

    def ws_url(self, path: str) -> str:
        """The ws:// (wss:// with tls) URL of `path` on the sim, e.g. `ws_url("/app/<id>")`."""
        return "ws" + self.running.url.removeprefix("http") + path

    @property
    def ready(self) -> dict[str, Any]:
        return self.running.ready

    @property
    def credentials(self) -> dict[str, Any]:
        credentials: dict[str, Any] = self.running.ready["credentials"]
        return credentials

    @property
    def tenant(self) -> Any:
        return self.running.tenant

    def ssl_context(self) -> ssl.SSLContext:
        """A client context trusting the sim's CA (for --tls and the QPS port)."""
        return ssl.create_default_context(cafile=str(self.running.certs.ca_cert))

    def call(self, work: Callable[[], Any]) -> Any:
        """Run a coroutine factory on the sim's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(work(), self.loop).result(STOP_TIMEOUT)


@contextmanager
def run_sim_in_thread(flavor: str, tls: bool = False, **options: Any) -> Iterator[SimHandle]:
    """Start a sim on its own thread (`asyncio.run`, so the loop is shut down completely at the
    end); stop it and delete its keys on exit."""
    started: Future[tuple[RunningSim, asyncio.AbstractEventLoop, asyncio.Event]] = Future()

    async def main() -> None:
        stop = asyncio.Event()
        try:
            async with start_sim(flavor, tls, **options) as running:  # type: ignore[arg-type]
                started.set_result((running, asyncio.get_running_loop(), stop))
                await stop.wait()
        except BaseException as error:
            if not started.done():
                started.set_exception(error)
            raise

    thread = threading.Thread(target=asyncio.run, args=(main(),), name=f"sim-{flavor}", daemon=True)
    thread.start()
    try:
        running, loop, stop = started.result(START_TIMEOUT)
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=str(running.certs.ca_cert)) if tls else False
        )
        client = SimAdmin(running.url, verify)
        try:
            yield SimHandle(running=running, loop=loop, client=client)
        finally:
            client.close()
            loop.call_soon_threadsafe(stop.set)
    finally:
        thread.join(STOP_TIMEOUT)
        if thread.is_alive():
            raise RuntimeError(f"the {flavor} sim did not stop within {STOP_TIMEOUT} s")


@pytest.fixture
def cloud_sim() -> Iterator[SimHandle]:
    """A Qlik Cloud flavoured sim over plain http."""
    with run_sim_in_thread("cloud") as handle:
        yield handle


@pytest.fixture
def qseow_sim() -> Iterator[SimHandle]:
    """A client-managed flavoured sim over plain http (QPS on its own TLS port)."""
    with run_sim_in_thread("qseow") as handle:
        yield handle


@pytest.fixture
def make_sim() -> Iterator[Callable[..., SimHandle]]:
    """Start sims with other options: `make_sim("qseow", tls=True, max_parallel_sessions=2)`."""
    stack: list[AbstractContextManager[SimHandle]] = []

    def start(flavor: str, tls: bool = False, **options: Any) -> SimHandle:
        manager = run_sim_in_thread(flavor, tls, **options)
        handle = manager.__enter__()
        stack.append(manager)
        return handle

    yield start
    for manager in reversed(stack):
        manager.__exit__(None, None, None)
