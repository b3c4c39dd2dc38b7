"""`viewer sim` as a program: exactly one JSON ready line on stdout, serves until SIGTERM or
SIGINT, then exits 0 and deletes its generated keys."""

from __future__ import annotations

import json
import selectors
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration

READY_TIMEOUT = 30.0


def _ready_line(process: subprocess.Popen[str]) -> dict[str, Any]:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(READY_TIMEOUT), "no ready line in time"
    ready: dict[str, Any] = json.loads(process.stdout.readline())
    return ready


def _run(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "viewer", "sim", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(process: subprocess.Popen[str], signum: int) -> tuple[str, str]:
    process.send_signal(signum)
    out, err = process.communicate(timeout=READY_TIMEOUT)
    return out, err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cloud_ready_line_and_clean_stop(signum: int) -> None:
    process = _run("--flavor", "cloud")
    try:
        ready = _ready_line(process)
        assert ready["event"] == "sim.ready"
        assert ready["flavor"] == "cloud"
        assert ready["url"].startswith("http://127.0.0.1:")
        app = ready["apps"][0]
        assert set(app) == {"id", "name", "sheets", "space", "owner", "last_reload_time"}
        assert set(app["sheets"][0]) == {"id", "title", "description"}
        creds = ready["credentials"]
        assert {"api_key", "users", "jwt", "web_integration_id"} <= set(creds)
        assert {"issuer", "kid", "private_key_path"} <= set(creds["jwt"])
        key_file = Path(creds["jwt"]["private_key_path"])
        assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
        assert key_file.stat().st_mode & 0o077 == 0
        bearer = {"Authorization": f"Bearer {creds['api_key']}"}
        assert httpx.get(f"{ready['url']}/api/v1/users/me", headers=bearer).status_code == 200
    finally:
        out, err = _stop(process, signum)
    assert process.returncode == 0, err
    assert out == "", "only the ready line goes to stdout"
    assert not key_file.exists()
    assert creds["api_key"] not in err


def test_qseow_tls_ready_line_names_ca_and_proxy_details() -> None:
    process = _run("--flavor", "qseow", "--tls")
    try:
        ready = _ready_line(process)
        creds = ready["credentials"]
        assert ready["url"].startswith("https://")
        assert {"qps_url", "client_cert_path", "client_key_path", "ca_cert_path", "ca_path"} <= set(
            creds
        )
        assert creds["virtual_proxy"]["prefix"] == "sim"
        assert creds["virtual_proxy"]["session_cookie"] == "X-Qlik-Session-sim"
        assert {"prefix", "header"} <= set(creds["header_auth"])
        context = ssl.create_default_context(cafile=creds["ca_path"])
        reply = httpx.get(f"{ready['url']}/sim/qps/user", verify=context)
        assert reply.status_code == 302
        started = time.monotonic()
    finally:
        _stop(process, signal.SIGTERM)
    assert process.returncode == 0
    assert time.monotonic() - started < 10
    assert not Path(creds["ca_path"]).exists()


def test_bad_port_is_refused_with_a_clear_message() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "viewer", "sim", "--port", "99999"],
        capture_output=True,
        text=True,
        timeout=READY_TIMEOUT,
        check=False,
    )
    assert result.returncode == 2
    assert "--port: 99999 is not a TCP port" in result.stderr


def test_busy_port_is_refused_with_a_clear_message() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "viewer", "sim", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=READY_TIMEOUT,
            check=False,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert result.stdout == ""


def test_a_child_sim_stops_when_its_parent_closes_stdin() -> None:
    """`--stop-on-stdin-eof`: a parent that dies (its end of the pipe closes) leaves no sim."""
    process = subprocess.Popen(
        [sys.executable, "-m", "viewer", "sim", "--stop-on-stdin-eof"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = _ready_line(process)
        key_file = Path(ready["credentials"]["jwt"]["private_key_path"])
        assert process.stdin is not None
        process.stdin.close()
        assert process.wait(timeout=READY_TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=READY_TIMEOUT)
        for stream in (process.stdout, process.stderr):
            assert stream is not None
            stream.close()
    assert not key_file.exists()
