"""The real `viewer` program: `--help`, and `viewer config validate|show` on good and bad files.

Each run gets its own XDG directories, so no installed site file or user profile leaks in.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

INLINE_KEY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"

GOOD = """\
[tenant]
kind = "qseow"
base_url = "https://qlik.example.com"
prefix = "kiosk"
app_id = "6f2c0b1e-app"
sheet_id = "sheet-1"

[auth]
mode = "qseow-ticket"
client_cert = "certs/client.pem"
client_key = "certs/client_key.pem"
user_directory = "CORP"
user_id = "wall-1"

[kiosk]
enabled = true
exit_shortcut = "Ctrl+Shift+F12"
"""

FIVE_MISTAKES = f"""\
[tenant]
base_url = "qlik.example.com"
app_id = "app-1"
sheet_idd = "s1"

[auth]
mode = "cloud-jwt"
private_key = "{INLINE_KEY}"
token_url = "https://tokens.example.com"
user_directory = "CORP"

[branding]
primary_color = "green"
"""

LOCATED = re.compile(r"^(?P<file>\S+):(?P<line>\d+):(?P<column>\d+): (?P<key>[\w.\[\]]+): ")


def run_viewer(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    isolated = {
        **os.environ,
        "XDG_CONFIG_DIRS": str(tmp_path / "xdg-site"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-user"),
        "XDG_STATE_HOME": str(tmp_path / "xdg-state"),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=isolated,
        check=False,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_help_names_every_subcommand(tmp_path: Path) -> None:
    result = run_viewer(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    for command in ("run", "demo", "check", "sim", "config"):
        assert re.search(rf"^\s+{command}\s+\w", result.stdout, re.MULTILINE), command
    config_help = run_viewer(tmp_path, "config", "--help")
    assert config_help.returncode == 0
    assert "validate" in config_help.stdout
    check_help = " ".join(run_viewer(tmp_path, "check", "--help").stdout.split())
    assert "NAME.toml in the user config dir (~/.config/viewer/profiles/ on Linux)" in check_help
    assert "for run and demo, no file for the other commands" in check_help  # what check writes


def test_validate_accepts_a_good_file_with_one_line(tmp_path: Path) -> None:
    good = write(tmp_path / "good.toml", GOOD)
    result = run_viewer(tmp_path, "config", "validate", str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"{good}: OK (qseow tenant https://qlik.example.com, auth qseow-ticket)"
    ]


def test_validate_reports_five_mistakes_with_locations(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.toml", FIVE_MISTAKES)
    result = run_viewer(tmp_path, "config", "validate", str(bad))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    located = [m.groupdict() for m in map(LOCATED.match, lines) if m]
    assert [(p["line"], p["key"]) for p in located] == [
        ("2", "tenant.base_url"),
        ("4", "tenant.sheet_idd"),
        ("8", "auth.private_key"),
        ("10", "auth.user_directory"),
        ("13", "branding.primary_color"),
    ]
    assert all(p["file"] == str(bad) for p in located)
    assert sum(line.startswith("    hint: ") for line in lines) == 5
    assert lines[-1] == f"{bad}: 5 problems"
    assert INLINE_KEY not in result.stdout + result.stderr
    assert "did you mean 'sheet_id'?" in result.stdout


def test_validate_reports_toml_syntax_with_line_and_column(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.toml", '[tenant]\napp_id = "a"\nbase_url = https://x\n')
    result = run_viewer(tmp_path, "config", "validate", str(broken))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{broken}:3:12: TOML syntax error")


def test_validate_reports_a_missing_file(tmp_path: Path) -> None:
    result = run_viewer(tmp_path, "config", "validate", str(tmp_path / "absent.toml"))
    assert result.returncode == 1
    assert "absent.toml: file not found" in result.stdout


def test_installed_site_file_locks_are_enforced(tmp_path: Path) -> None:
    site = write(
        tmp_path / "xdg-site" / "viewer" / "site.toml",
        '[tenant]\nbase_url = "https://qlik.example.com"\n[locks]\nkeys = ["tenant.base_url"]\n',
    )
    user = write(tmp_path / "user.toml", GOOD)
    result = run_viewer(tmp_path, "config", "validate", str(user))
    assert result.returncode == 1
    assert f"{user}:3:1: tenant.base_url: locked by the site file {site}:4:1" in result.stdout
    assert run_viewer(tmp_path, "config", "validate", "--no-site", str(user)).returncode == 0
    as_site = run_viewer(tmp_path, "config", "validate", "--as-site", str(site))
    assert as_site.returncode == 0, as_site.stdout


def test_show_prints_values_with_their_origin(tmp_path: Path) -> None:
    good = write(tmp_path / "good.toml", GOOD)
    result = run_viewer(
        tmp_path,
        "config",
        "show",
        "--config",
        str(good),
        "--set",
        "kiosk.enabled=false",
        env={"VIEWER_TENANT__SHEET_ID": "sheet-9"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert f'tenant.app_id = "6f2c0b1e-app"  # {good}:5:1' in lines
    assert 'tenant.sheet_id = "sheet-9"  # environment VIEWER_TENANT__SHEET_ID' in lines
    assert "kiosk.enabled = false  # command line kiosk.enabled" in lines
    assert "network.reconnect_max_s = 30.0  # built-in default" in lines


def test_show_takes_a_list_as_json_like_site_file(tmp_path: Path) -> None:
    good = write(tmp_path / "good.toml", GOOD)
    result = run_viewer(
        tmp_path, "config", "show", "--config", str(good), "--set", 'tenant.sheets=["s1", "s2"]'
    )
    assert result.returncode == 0, result.stderr
    assert 'tenant.sheets = ["s1", "s2"]  # command line tenant.sheets' in result.stdout


def test_show_says_a_bad_override_once_on_stderr(tmp_path: Path) -> None:
    good = write(tmp_path / "good.toml", GOOD)
    result = run_viewer(
        tmp_path, "config", "show", "--config", str(good), "--set", "kiosk.enabled=maybe"
    )
    assert result.returncode == 1
    assert result.stdout == ""  # a pipe of `config show` gets no error text as configuration
    assert result.stderr.startswith(
        "command line kiosk.enabled: Input should be a valid boolean"
    ), result.stderr


def test_viewer_without_arguments_says_what_is_missing(tmp_path: Path) -> None:
    site = write(
        tmp_path / "xdg-site" / "viewer" / "site.toml",
        GOOD.replace('base_url = "https://qlik.example.com"\n', ""),
    )
    # no display: the reason (on a display "Connect to Qlik" opens, see test_first_run.py)
    result = run_viewer(tmp_path, env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"the site configuration ({site}) lacks tenant.base_url" in result.stderr
    assert str(tmp_path / "xdg-user" / "viewer" / "profiles" / "default.toml") in result.stderr
    assert "Traceback" not in result.stderr


def test_site_file_writes_a_valid_site_file_from_installer_values(tmp_path: Path) -> None:
    output = tmp_path / "ProgramData" / "viewer" / "site.toml"
    result = run_viewer(
        tmp_path, "config", "site-file",
        "--set", "tenant.base_url=https://acme.eu.qlikcloud.com", "--set", "tenant.app_id=a1",
        "--set", "tenant.sheet_id=", "--set", "kiosk.enabled=true",
        "--lock", "tenant.base_url,tenant.app_id", "--lock", "", "--output", str(output),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    check = run_viewer(tmp_path, "config", "validate", "--as-site", str(output))
    assert check.returncode == 0, check.stdout
    assert 'keys = [\n    "tenant.base_url",\n    "tenant.app_id",\n]' in output.read_text()


def test_site_file_writes_nothing_when_a_value_is_wrong(tmp_path: Path) -> None:
    output = tmp_path / "site.toml"
    result = run_viewer(
        tmp_path, "config", "site-file", "--set", "kiosk.enabled=perhaps", "--output", str(output)
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        "installer property kiosk.enabled: Input should be a valid boolean"
    )
    assert not output.exists()


def test_an_output_path_that_cannot_be_written_is_a_sentence(tmp_path: Path) -> None:
    a_file = write(tmp_path / "a-file", "")
    site = run_viewer(
        tmp_path, "config", "site-file", "--set", "kiosk.enabled=true",
        "--output", str(a_file / "site.toml"),
    )  # fmt: skip
    docs = run_viewer(tmp_path, "config", "docs", "--output", str(tmp_path))
    for command, result, path in (
        ("site-file", site, a_file / "site.toml"),
        ("docs", docs, tmp_path),
    ):
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(f"viewer config {command}: cannot write {path} ("), (
            result.stderr
        )
        assert "Give a writable file path with --output" in result.stderr
