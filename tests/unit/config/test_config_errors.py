"""How configuration problems are presented: key path, location, masked value and hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_problems import only, problems_in

from viewer.config.errors import MASK, Problem

INLINE_KEY = "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBg"

FIVE_MISTAKES = f"""\
[tenant]
kind = "cloud"
base_url = "ftp://acme.example.com"
app_idd = "app-1"

[auth]
mode = "cloud-jwt"
private_key = "{INLINE_KEY}"
kid = "k1"
issuer = "acme"
subject = "wall"
ticket_url = "https://broker.example.com"

[network]
keepalive_interval_s = "fast"
"""


def test_five_mistakes_give_five_located_problems(tmp_path: Path) -> None:
    problems = problems_in(tmp_path, FIVE_MISTAKES)
    located = [(p.key_path, p.origin.line if p.origin else None) for p in problems]
    assert located == [
        ("tenant.base_url", 3),
        ("tenant.app_idd", 4),
        ("auth.private_key", 8),
        ("auth.ticket_url", 12),
        ("network.keepalive_interval_s", 15),
    ]
    assert [p.code for p in problems] == [
        "url_scheme",
        "extra_forbidden",
        "secret_inline",
        "extra_forbidden",
        "float_parsing",
    ]
    assert all(p.hint for p in problems)
    rendered = "\n".join(p.render() for p in problems)
    assert INLINE_KEY not in rendered
    assert "MIIEv" not in rendered


def test_inline_secret_is_masked_with_a_reference_hint(tmp_path: Path) -> None:
    text = '[tenant]\nbase_url = "https://a.example"\napp_id = "a"\n'
    problem = only(problems_in(tmp_path, text + '[auth]\nmode = "api-key"\napi_key = "abc123"\n'))
    assert (problem.key_path, problem.value) == ("auth.api_key", MASK)
    assert problem.hint is not None
    assert "env:NAME, keyring:SERVICE/USER or file:PATH" in problem.hint
    assert "abc123" not in problem.render()


BASE = '[tenant]\nbase_url = "https://a.example"\napp_id = "a"\n'


@pytest.mark.parametrize(
    ("text", "key_path", "message", "hint"),
    [
        (BASE + "[kiosk]\nenabeld = true\n", "kiosk.enabeld", "unknown key",
         "did you mean 'enabled'?"),
        (BASE + "[kiosks]\nenabled = true\n", "kiosks", "unknown key", "did you mean 'kiosk'?"),
        (BASE + '[auth]\nmode = "cloud-jwtt"\n', "auth.mode", "unknown auth mode 'cloud-jwtt'",
         "did you mean 'cloud-jwt'?"),
        (BASE + '[auth]\nkid = "k"\n', "auth.mode", "missing", "set one of: cloud-interactive"),
        (BASE + '[auth]\nmode = "anonymous"\nuser_id = "u"\n', "auth.user_id",
         "not a key of auth mode anonymous", "'user_id' belongs to auth mode qseow-ticket"),
        (BASE + '[auth]\nmode = "anonymous"\nuserid = "u"\n', "auth.userid", "unknown key",
         "known keys here: mode"),
        (BASE + '[tenant.single]\nopt = ["curssel"]\n',
         "tenant.single.opt[0]", "not an allowed value", "did you mean 'currsel'?"),
        (BASE.replace("app_id", "appid"), "tenant.appid", "unknown key",
         "did you mean 'app_id'?"),
        ('[tenant]\nbase_url = "https://a.example"\n[kiosk]\nenabled = true\n', "kiosk.enabled",
         "a kiosk shows one app's sheet: set tenant.app_id", None),
        (BASE + 'kiosk = "yes"\n', "tenant.kiosk", "unknown key", "known keys here"),
        ('tenant = "x"\n', "tenant", "must be a table, like [tenant]", None),
        ("[kiosk]\nenabled = true\n", "tenant", "required but missing",
         "add a [tenant] table with base_url"),
        (BASE + "[network]\nreconnect_min_s = 60\nreconnect_max_s = 1\n",
         "network.reconnect_max_s", "smaller than reconnect_min_s (60.0)", None),
        (BASE + "[kiosk]\nenabled = 3\n", "kiosk.enabled", "Input should be a valid boolean",
         "expects boolean"),
        (BASE + '[auth]\nmode = "qseow-ticket"\nticket_url = "https://b.example"\n', "auth.mode",
         "auth mode qseow-ticket does not work with tenant kind cloud", None),
    ],
)  # fmt: skip
def test_problem_wording(
    tmp_path: Path, text: str, key_path: str, message: str, hint: str | None
) -> None:
    problem = only(problems_in(tmp_path, text))
    assert problem.key_path == key_path
    assert problem.message.startswith(message)
    if hint is None:
        assert problem.origin is not None
    else:
        assert problem.hint is not None
        assert hint in problem.hint


def test_unknown_keys_that_look_secret_are_masked(tmp_path: Path) -> None:
    text = BASE + '[auth]\nmode = "cloud-interactive"\npassword = "hunter2"\n'
    problem = only(problems_in(tmp_path, text))
    assert (problem.key_path, problem.value) == ("auth.password", MASK)
    assert "hunter2" not in problem.render()


def test_a_problem_no_file_sets_is_attributed_to_the_file(tmp_path: Path) -> None:
    problem = only(problems_in(tmp_path, "[kiosk]\nenabled = true\n"))
    assert problem.origin is not None
    assert (problem.origin.file, problem.origin.line) == (tmp_path / "profile.toml", None)


def test_long_values_are_shortened_and_tokens_scrubbed(tmp_path: Path) -> None:
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3YWxsIn0.c2lnbmF0dXJl"
    problem = only(problems_in(tmp_path, BASE + f'[branding]\nprimary_color = "{jwt}"\n'))
    assert problem.value is not None
    assert jwt not in problem.value
    long = only(problems_in(tmp_path, BASE + f'[branding]\nprimary_color = "{"x" * 200}"\n'))
    assert long.value is not None
    assert len(long.value) <= 60


def test_render_puts_location_key_value_and_hint_together() -> None:
    from viewer.config.errors import Origin

    problem = Problem("kiosk.enabled", "bad", "fix it", "'x'", Origin("user", Path("p.toml"), 3, 1))
    assert problem.render() == "p.toml:3:1: kiosk.enabled: bad (value: 'x')\n    hint: fix it"
