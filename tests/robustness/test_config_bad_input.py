"""Issue 13, items 5 and 10 (profile names): configuration input a user (or a mistake) can
produce is a clear, located error or a warning — never an endless read, a RecursionError or a
path out of the state directory — and hypothesis throws arbitrary text at the loader."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.auth.store import default_grant_path
from viewer.config import ConfigError, ConfigLocations, load_profile
from viewer.config.files import safe_file_name
from viewer.config.identity import stable_identity
from viewer.config.layers import read_file_layer
from viewer.config.secret_refs import SecretResolutionError, resolve_secret

GOOD = '[tenant]\nbase_url = "https://acme.eu.qlikcloud.com"\napp_id = "app-1"\n'
PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
DEPTH = 5000


@pytest.fixture
def locations(tmp_path: Path) -> ConfigLocations:
    return ConfigLocations(
        site_file=tmp_path / "site" / "site.toml",
        profiles_dir=tmp_path / "user" / "profiles",
        state_dir=tmp_path / "state",
    )


def _problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        read_file_layer(path, "user")
    return [(p.code, p.render()) for p in caught.value.problems]


# --- file: secrets --------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_file_secret_from_dev_zero_is_bounded() -> None:
    started = time.monotonic()
    with pytest.raises(SecretResolutionError) as caught:
        resolve_secret("file:/dev/zero", "auth.private_key")
    assert time.monotonic() - started < 2
    assert "auth.private_key" in str(caught.value)
    assert "KiB" in str(caught.value)


def test_file_secret_that_is_huge_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.pem"
    big.write_bytes(b"A" * (4 * 1024 * 1024))
    with pytest.raises(SecretResolutionError, match="not a secret"):
        resolve_secret(f"file:{big}", "auth.private_key")


@pytest.mark.skipif(os.name != "posix", reason="mode bits")
@pytest.mark.parametrize(("mode", "warned"), [(0o644, True), (0o640, True), (0o600, False)])
def test_key_file_others_can_read_is_warned_about(
    tmp_path: Path, log_output: object, mode: int, warned: bool
) -> None:
    key = tmp_path / "signing.pem"
    key.write_text(PEM)
    key.chmod(mode)
    assert resolve_secret(f"file:{key}", "auth.private_key").startswith("-----BEGIN")
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]  # type: ignore[attr-defined]
    exposed = [line for line in lines if line["event"] == "config.key_file_exposed"]
    assert bool(exposed) is warned
    if warned:
        assert exposed[0]["setting"] == "auth.private_key"
        assert "chmod 600" in exposed[0]["hint"]
        assert "MIIEvQ" not in log_output.getvalue()  # type: ignore[attr-defined]


# --- config files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[" + ".".join(["a"] * DEPTH) + "]\nx = 1\n",
        "a = " + "{b = " * DEPTH + "1" + "}" * DEPTH + "\n",
        "a = " + "[" * DEPTH + "]" * DEPTH + "\n",
        ".".join(["a"] * DEPTH) + " = 1\n",
    ],
    ids=["table-header", "inline-tables", "arrays", "dotted-key"],
)
def test_config_nested_thousands_deep_is_a_located_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(text)
    problems = _problems(path)
    assert problems
    code, rendered = problems[0]
    assert code in ("too_deep", "toml_syntax")
    assert str(path) in rendered


def test_utf8_bom_is_accepted(tmp_path: Path, locations: ConfigLocations) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    profile = load_profile(config_file=path, locations=locations, environ={})
    assert profile.config.tenant.app_id == "app-1"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_as_config_is_bounded() -> None:
    started = time.monotonic()
    problems = _problems(Path("/dev/zero"))
    assert time.monotonic() - started < 2
    assert problems[0][0] == "too_large"
    assert "/dev/zero" in problems[0][1]


def test_config_validate_of_dev_zero_says_why_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "viewer", "config", "validate", "/dev/zero"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "/dev/zero" in result.stderr + result.stdout


# --- profile names --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../x", "..", "a/b", "..\\x", "."])
def test_profile_name_that_leaves_its_directory_is_refused(
    locations: ConfigLocations, name: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_profile(name, locations=locations, environ={})
    assert caught.value.problems[0].code == "profile_name"


@given(st.text(max_size=40))
def test_state_file_names_never_leave_their_directory(name: str) -> None:
    base = Path("/state")
    safe = safe_file_name(name)
    assert safe not in ("", ".", "..")
    assert "/" not in safe
    assert "\\" not in safe
    assert default_grant_path(base, name).resolve().is_relative_to(base / "profiles")


def test_identity_file_of_a_hostile_name_stays_in_the_state_dir(tmp_path: Path) -> None:
    stable_identity(tmp_path / "state", "../../escape")
    assert not (tmp_path / "escape").exists()
    assert list((tmp_path / "state" / "identities").iterdir())


# --- fuzzing --------------------------------------------------------------------------------

_KEYS = st.sampled_from(["tenant", "auth", "web", "network", "kiosk", "mode", "base_url", "a"])
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=12,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=400))
def test_any_text_is_a_profile_or_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    problems: list[object] = []
    try:
        read_file_layer(path, "user")
    except ConfigError as error:
        problems = [p.origin for p in error.problems]
    assert None not in problems


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=300))
def test_any_bytes_are_a_profile_or_a_config_error(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(raw)
    with contextlib.suppress(ConfigError):
        read_file_layer(path, "user")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tables=st.dictionaries(_KEYS, _VALUES, max_size=4))
def test_any_structure_validates_or_lists_problems(
    tmp_path: Path, locations: ConfigLocations, tables: dict[str, object]
) -> None:
    import tomli_w

    path = tmp_path / "fuzz.toml"
    try:
        path.write_text(tomli_w.dumps(tables))
    except (TypeError, ValueError):
        return  # not representable in TOML (None, top-level scalars in lists, ...)
    problems: list[object] = ["none"]
    try:
        load_profile(config_file=path, locations=locations, environ={})
    except ConfigError as error:
        problems = list(error.problems)
    assert problems


def test_environment_json_nested_thousands_deep_is_a_located_error(
    locations: ConfigLocations,
) -> None:
    deep = "[" * DEPTH + "]" * DEPTH
    with pytest.raises(ConfigError) as caught:
        load_profile(config_file=None, locations=locations, environ={"VIEWER_TENANT__SHEETS": deep})
    problem = next(p for p in caught.value.problems if p.code == "env_json")
    assert "VIEWER_TENANT__SHEETS" in problem.render()
