"""The health port cannot be used as a lever against the viewer (issue 13, item 4): a thousand
idle connections, a slowloris, junk requests and a foreign `Host` against a real server in its
own process with the usual 1,024 file descriptors. Each test is bounded in time."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MAX_CONNECTIONS = 16


@dataclass
class LeverServer:
    process: subprocess.Popen[str]
    port: int
    lines: queue.Queue[dict[str, object]] = field(default_factory=queue.Queue)

    def descriptors(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def log(self) -> list[dict[str, object]]:
        seen = []
        with contextlib.suppress(queue.Empty):
            while True:
                seen.append(self.lines.get_nowait())
        return seen

    def request(self, raw: bytes, timeout: float = 3.0) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as client:
            client.sendall(raw)
            return _read_all(client)


def _read_all(client: socket.socket) -> bytes:
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@contextlib.contextmanager
def lever_server(nofile: int = 1024, header_timeout_s: float = 1.0) -> Iterator[LeverServer]:
    command = [sys.executable, "-m", "tests.integration.monitor.lever_server"]
    args = [str(nofile), str(MAX_CONNECTIONS), str(header_timeout_s)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [*command, *args], cwd=ROOT, env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stderr is not None
    pump_thread: threading.Thread | None = None
    try:
        port = json.loads(process.stdout.readline())["port"]
        server = LeverServer(process, port)
        stderr = process.stderr

        def pump() -> None:
            for line in stderr:
                try:
                    server.lines.put(json.loads(line))
                except ValueError:
                    server.lines.put({"event": "not-json", "text": line})

        pump_thread = threading.Thread(target=pump, daemon=True)
        pump_thread.start()
        yield server
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if pump_thread is not None:
            pump_thread.join(5)
        process.stdout.close()
        process.stderr.close()


@pytest.fixture(autouse=True)
def _room_for_many_clients() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096 <= hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (4096, hard))


def _healthz_status(server: LeverServer) -> int:
    reply = server.request(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return int(reply.split(b" ", 2)[1])


def _no_tracebacks(lines: list[dict[str, object]]) -> None:
    assert not [line for line in lines if "exception" in line or line["event"] == "not-json"]


def test_a_thousand_idle_connections_neither_starve_the_viewer_nor_flood_its_log() -> None:
    with lever_server() as server:
        idle = []
        try:
            for _ in range(1000):
                client = socket.socket()
                client.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    client.connect(("127.0.0.1", server.port))
                idle.append(client)
            deadline = time.monotonic() + 5
            most = 0
            while time.monotonic() < deadline:  # the server works through its accept queue
                most = max(most, server.descriptors())
                time.sleep(0.05)
            started = time.monotonic()
            assert _healthz_status(server) == 503  # CONNECTING, answered at once
            assert time.monotonic() - started < 1.0
        finally:
            for client in idle:
                client.close()
        assert most <= MAX_CONNECTIONS + 12, f"{most} descriptors held"
        lines = server.log()
        loud = [line for line in lines if line["level"] != "debug"]
        assert len(loud) <= 3, loud  # health.listening, perhaps one accept_failed
        _no_tracebacks(lines)


def test_a_slowloris_is_cut_off_after_the_header_timeout() -> None:
    with lever_server(header_timeout_s=0.5) as server:
        client = socket.create_connection(("127.0.0.1", server.port), timeout=0.1)
        client.sendall(b"GET /healthz HTTP/1.1\r\n")
        started = time.monotonic()
        closed_after = None
        while time.monotonic() - started < 5:
            try:
                client.sendall(b"X")
                if client.recv(1) == b"":
                    closed_after = time.monotonic() - started
                    break
            except TimeoutError:
                continue
            except OSError:
                closed_after = time.monotonic() - started
                break
        client.close()
        assert closed_after is not None
        assert closed_after < 1.5
        assert any(line["event"] == "health.header_timeout" for line in server.log())


JUNK = (
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(40)) + b"\r\n\r\n",  # TLS
    b"\x00\xff\xfe" * 100 + b"\r\n\r\n",
    b"GET /healthz HTTP/9.9\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"a" * 20000 + b"\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nbad header line\r\n\r\n",
)


def test_junk_requests_get_a_4xx_and_a_quiet_debug_line() -> None:
    with lever_server() as server:
        for raw in JUNK:
            reply = server.request(raw)
            status = int(reply.split(b" ", 2)[1])
            assert 400 <= status <= 505, (raw[:30], reply[:60])
        assert _healthz_status(server) == 503  # still serving
        lines = server.log()
        bad = [line for line in lines if line["event"] == "health.bad_request"]
        assert len(bad) == len(JUNK)
        assert all(line["level"] == "debug" for line in bad)
        _no_tracebacks(lines)


@pytest.mark.parametrize(
    ("host", "status"),
    [("127.0.0.1", 503), ("127.0.0.1:{port}", 503), ("localhost:{port}", 503),
     ("attacker.example", 421), ("attacker.example:{port}", 421), ("", 421)],
)  # fmt: skip
def test_the_host_header_must_name_the_bound_address(host: str, status: int) -> None:
    with lever_server() as server:
        header = host.format(port=server.port).encode()
        reply = server.request(b"GET /healthz HTTP/1.1\r\nHost: " + header + b"\r\n\r\n")
        assert int(reply.split(b" ", 2)[1]) == status


def test_accept_errors_back_off_instead_of_spinning() -> None:
    # Fewer descriptors than the cap: accepting fails with EMFILE while clients keep knocking.
    with lever_server(nofile=MAX_CONNECTIONS) as server:
        clients = []
        try:
            for _ in range(3 * MAX_CONNECTIONS):
                client = socket.socket()
                client.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    client.connect(("127.0.0.1", server.port))
                clients.append(client)
            cpu_before = _cpu_seconds(server.process.pid)
            time.sleep(2.0)
            cpu_used = _cpu_seconds(server.process.pid) - cpu_before
        finally:
            for client in clients:
                client.close()
        lines = server.log()
        failures = [line for line in lines if line["event"] == "health.accept_failed"]
        assert 1 <= len(failures) <= 2, failures
        assert cpu_used < 0.5, f"{cpu_used:.2f} s of CPU in 2 s"
        _no_tracebacks(lines)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
