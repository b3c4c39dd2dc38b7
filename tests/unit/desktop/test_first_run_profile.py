"""The first run's pure parts: the typed address (origin and proxy prefix, or a sentence), the
profile it writes (it loads as `viewer run` loads it, with the right interactive mode and no
app), and when a display is there to show the dialog on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from viewer.commands.first_run import has_display
from viewer.config.loading import ConfigLocations, load_profile
from viewer.config.start import StartProfile, choose_start_profile
from viewer.desktop.first_run import (
    DetectedTenant,
    FirstRunError,
    detect_tenant,
    parse_tenant_address,
    write_first_profile,
)
from viewer.desktop.restart import restart_command, switched_arguments


def _locations(tmp_path: Path) -> ConfigLocations:
    return ConfigLocations(
        site_file=tmp_path / "etc" / "site.toml",
        profiles_dir=tmp_path / "profiles",
        state_dir=tmp_path / "state",
    )


@pytest.mark.parametrize(
    ("text", "origin", "prefix"),
    [
        ("https://acme.eu.qlikcloud.com", "https://acme.eu.qlikcloud.com", ""),
        ("  acme.eu.qlikcloud.com/hub/  ", "https://acme.eu.qlikcloud.com", ""),
        ("https://qlik.example.com:8443/forms/hub", "https://qlik.example.com:8443", "forms"),
        ("http://127.0.0.1:5000/sim", "http://127.0.0.1:5000", "sim"),
        ("https://qlik.example.com/sense/app/x", "https://qlik.example.com", ""),
    ],
)
def test_an_address_gives_the_origin_and_the_proxy_prefix(
    text: str, origin: str, prefix: str
) -> None:
    assert parse_tenant_address(text) == (origin, prefix)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Type the address"),
        ("ftp://qlik.example.com", "not a web address"),
        ("https://qlik.example.com:99999", "not a web address"),
        ("https://alice@qlik.example.com", "Leave the user name out"),
        ("https://", "names no host"),
    ],
)
def test_a_bad_address_is_a_sentence(text: str, says: str) -> None:
    with pytest.raises(FirstRunError, match=says):
        parse_tenant_address(text)


@pytest.mark.parametrize(
    ("tenant", "mode"),
    [
        (DetectedTenant("cloud", "https://acme.eu.qlikcloud.com"), "cloud-interactive"),
        (DetectedTenant("qseow", "https://qlik.example.com", "forms"), "qseow-interactive"),
    ],
)
def test_the_written_profile_validates_with_interactive_sign_in_and_is_chosen_next(
    tmp_path: Path, tenant: DetectedTenant, mode: str
) -> None:
    locations = _locations(tmp_path)
    written = write_first_profile(locations, tenant)
    assert written.name == "default"
    loaded = load_profile("default", locations=locations)
    assert loaded.config == written.config
    assert loaded.config.auth.mode == mode
    assert loaded.config.tenant.kind == tenant.kind
    assert loaded.config.tenant.prefix == tenant.prefix
    assert str(loaded.config.tenant.base_url).rstrip("/") == tenant.base_url
    assert loaded.config.tenant.app_id is None
    choice = choose_start_profile(locations, environ={})
    assert isinstance(choice, StartProfile)
    assert (choice.profile.name, choice.source) == ("default", "default")
    assert list(locations.profiles_dir.iterdir()) == [locations.profile_file("default")]


@pytest.mark.parametrize(
    ("environ", "platform", "shown"),
    [
        ({"DISPLAY": ":99"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({}, "linux", False),
        ({"DISPLAY": ":99", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({}, "win32", True),
        ({"QT_QPA_PLATFORM": "minimal"}, "darwin", False),
    ],
)
def test_the_dialog_needs_a_display(environ: dict[str, str], platform: str, shown: bool) -> None:
    assert has_display(environ, platform) is shown


def test_the_restart_runs_this_program_with_the_same_arguments() -> None:
    command = restart_command(["run", "--log-file", "none"])
    assert command[-3:] == ["run", "--log-file", "none"]
    assert command[:-3] in (["-m", "viewer"], [command[0], "-m", "viewer"], [command[0]])


def test_a_switch_runs_the_chosen_profile_with_this_runs_logging_and_health_port() -> None:
    arguments = ["run", "--config", "/x.toml", "--log-format", "json", "--open", "a/b",
                 "--log-file=none", "--health-port", "9100", "--quit-after", "5"]  # fmt: skip
    assert switched_arguments(arguments, "sales") == [
        "run", "--profile", "sales", "--log-format", "json", "--log-file=none",
        "--health-port", "9100",
    ]  # fmt: skip
    assert switched_arguments([], "sales") == ["run", "--profile", "sales"]


def _detect_with(handler: Callable[[httpx.Request], httpx.Response], text: str) -> DetectedTenant:
    async def detect() -> DetectedTenant:
        transport = httpx.MockTransport(handler)
        async with httpx.AsyncClient(transport=transport, follow_redirects=False) as client:
            return await detect_tenant(text, client)

    return asyncio.run(detect())


def test_a_qlik_cloud_domain_is_cloud_and_a_site_that_is_not_qlik_is_a_sentence() -> None:
    def not_qlik(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text="<html>Not found</html>")

    found = _detect_with(not_qlik, "acme.eu.qlikcloud.com/hub")
    assert found == DetectedTenant("cloud", "https://acme.eu.qlikcloud.com")
    with pytest.raises(FirstRunError, match="answers, but not as Qlik Cloud or Qlik Sense"):
        _detect_with(not_qlik, "https://intranet.example.com/forms")


def test_a_host_that_does_not_answer_is_a_sentence() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(FirstRunError, match=r"Cannot reach qlik.example.com:8443 \(connection"):
        _detect_with(refuse, "https://qlik.example.com:8443")
