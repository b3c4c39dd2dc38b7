"""What `viewer run`/`demo` refuse before Qt starts, as sentences: the sandbox as root, Chromium
flags that switch certificate checks off (viewer.web.flags), bad health ports, unreadable
secrets, a demo auth mode of the other flavour, `viewer sim` options that are not numbers; and
how failed connections are told apart (viewer.core.netfaults)."""

from __future__ import annotations

import argparse
import errno
import ssl
from pathlib import Path

import pytest

from viewer.commands.check_hints import connect_failure, engine_open_failure
from viewer.commands.demo import mode_problem
from viewer.commands.preflight import (
    chromium_flags_problem,
    health_port,
    profile_problem,
    sandbox_problem,
)
from viewer.config.loading import ConfigLocations, load_profile
from viewer.core.netfaults import connection_refused, plain_http_reply
from viewer.sim.command import add_arguments as add_sim_arguments
from viewer.web.flags import certificate_check_flags


def test_certificate_check_flags_are_found_with_their_values() -> None:
    flags = "--js-flags=--expose-gc --ignore-certificate-errors --disable-web-security"
    assert certificate_check_flags(flags) == ["--ignore-certificate-errors"]
    assert certificate_check_flags("--ignore-certificate-errors-spki-list=abc") == [
        "--ignore-certificate-errors-spki-list=abc"
    ]
    assert certificate_check_flags("") == []
    assert certificate_check_flags('--unbalanced "quote --allow-insecure-localhost') != []


def test_a_certificate_flag_is_refused_with_the_way_out() -> None:
    problem = chromium_flags_problem({"QTWEBENGINE_CHROMIUM_FLAGS": "--ignore-certificate-errors"})
    assert problem is not None
    assert "network.ca_bundle" in problem
    assert chromium_flags_problem({"QTWEBENGINE_CHROMIUM_FLAGS": "--enable-logging"}) is None


def test_root_without_the_sandbox_variable_is_told_what_to_do() -> None:
    problem = sandbox_problem(0, {})
    assert problem is not None
    assert "QTWEBENGINE_DISABLE_SANDBOX=1" in problem
    assert sandbox_problem(0, {"QTWEBENGINE_DISABLE_SANDBOX": "1"}) is None
    assert sandbox_problem(1000, {}) is None


@pytest.mark.parametrize("text", ["abc", "-1", "65536", "99999"])
def test_bad_health_ports_are_sentences(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        health_port(text)
    assert health_port("8080") == 8080


def _caused_by(cause: BaseException) -> Exception:
    try:
        try:
            raise cause
        except BaseException as inner:
            raise RuntimeError("All connection attempts failed") from inner
    except RuntimeError as outer:
        return outer


def test_refused_and_plain_http_are_told_apart() -> None:
    refused = _caused_by(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"))
    plain = _caused_by(ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"))
    assert connection_refused(refused)
    assert not plain_http_reply(refused)
    assert plain_http_reply(plain)
    assert not connection_refused(plain)
    assert connect_failure(refused, "h:1").detail.startswith("cannot connect to h:1")
    assert connect_failure(plain, "h:1").detail == "the server speaks plain HTTP on h:1"


def test_an_app_that_does_not_exist_points_at_the_app_id() -> None:
    assert engine_open_failure("cloud.app_not_found", "x").hint.startswith("Check tenant.app_id")
    assert engine_open_failure("http.not_found", "x").hint.startswith("Check tenant.app_id")
    assert "websockets" in engine_open_failure("http.unavailable", "x").hint


def test_an_unreadable_secret_is_located_at_the_key_that_refers_to_it(tmp_path: Path) -> None:
    profile_file = tmp_path / "wall.toml"
    profile_file.write_text(
        '[tenant]\nkind = "cloud"\nbase_url = "https://acme.eu.qlikcloud.com"\n\n'
        '[auth]\nmode = "api-key"\napi_key = "env:VIEWER_TEST_NO_SUCH_VARIABLE"\n'
    )
    locations = ConfigLocations(tmp_path / "site.toml", tmp_path / "profiles", tmp_path / "state")
    profile = load_profile(config_file=profile_file, environ={}, locations=locations)
    assert profile_problem(profile) == (
        f"{profile_file}:7:1: Cannot read a secret of the profile: auth.api_key = "
        "'«redacted»': no secret there; set the environment variable "
        "VIEWER_TEST_NO_SUCH_VARIABLE."
    )


def test_a_demo_mode_of_the_other_flavour_names_the_flavour_to_add() -> None:
    assert mode_problem("cloud", "cloud-jwt") is None
    assert mode_problem("cloud", "qseow-ticket") == (
        "auth mode 'qseow-ticket' does not exist for the cloud flavour; add --flavor qseow, or "
        "choose one of cloud-interactive, cloud-jwt"
    )
    assert mode_problem("qseow", "cloud-jwt") is not None
    assert "add --flavor cloud, or choose one of anonymous," in str(
        mode_problem("qseow", "cloud-jwt")
    )


def test_sim_options_that_are_not_numbers_are_sentences() -> None:
    parser = argparse.ArgumentParser(exit_on_error=False)
    add_sim_arguments(parser)
    for option, text, said in (
        ("--port", "abc", "'abc' is not a whole number"),
        ("--max-parallel-sessions", "x", "'x' is not a whole number"),
        ("--session-ttl", "soon", "'soon' is not a number of seconds"),
    ):
        with pytest.raises(argparse.ArgumentError) as caught:
            parser.parse_args([option, text])
        assert str(caught.value) == f"argument {option}: {said}"


def test_a_state_folder_that_cannot_be_written_is_a_sentence(tmp_path: Path) -> None:
    profile_file = tmp_path / "wall.toml"
    profile_file.write_text(
        '[tenant]\nkind = "cloud"\nbase_url = "https://acme.eu.qlikcloud.com"\n'
    )
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    locations = ConfigLocations(tmp_path / "site.toml", tmp_path / "profiles", a_file / "state")
    profile = load_profile(config_file=profile_file, environ={}, locations=locations)
    assert profile_problem(profile) == (
        f"cannot keep this profile's data in {a_file / 'state'} (Not a directory): its "
        "engine-session identity, stored sign-in and web profile live there. Make that folder "
        "writable for this user (on Linux, XDG_STATE_HOME moves it)."
    )
