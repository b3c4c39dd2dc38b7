"""Loading profiles: layering, origins, locks, environment and override layers, identities."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.config import ConfigError, ConfigLocations, Profile, load_profile
from viewer.config.loading import load_layers

GOOD = """\
[tenant]
base_url = "https://acme.eu.qlikcloud.com"
app_id = "app-user"
"""


@pytest.fixture
def locations(tmp_path: Path) -> ConfigLocations:
    return ConfigLocations(
        site_file=tmp_path / "site" / "site.toml",
        profiles_dir=tmp_path / "user" / "profiles",
        state_dir=tmp_path / "state",
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(locations: ConfigLocations, **kwargs: object) -> Profile:
    kwargs.setdefault("environ", {})
    return load_profile(locations=locations, **kwargs)  # type: ignore[arg-type]


def problems_of(locations: ConfigLocations, **kwargs: object) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(locations, **kwargs)
    return [problem.render() for problem in caught.value.problems]


def test_named_profile_is_read_from_the_profiles_dir(locations: ConfigLocations) -> None:
    write(locations.profile_file("wall"), GOOD)
    profile = load(locations, name="wall")
    assert profile.name == "wall"
    assert profile.config.tenant.app_id == "app-user"
    assert profile.files == (locations.profile_file("wall"),)


def test_layers_override_in_order_and_remember_origins(locations: ConfigLocations) -> None:
    site = write(
        locations.site_file,
        '[tenant]\napp_id = "app-site"\nsheet_id = "s-site"\n[kiosk]\nenabled = true\n'
        '[branding]\nproduct_name = "Acme"\n',
    )
    user = write(locations.profile_file("default"), GOOD + 'sheet_id = "s-user"\n')
    profile = load(
        locations,
        environ={"VIEWER_TENANT__SHEET_ID": "s-env", "VIEWER_KIOSK__ENABLED": "false"},
        overrides={"kiosk.enabled": True},
    )
    config = profile.config
    assert config.branding.product_name == "Acme"
    assert config.tenant.app_id == "app-user"
    assert config.tenant.sheet_id == "s-env"
    assert config.kiosk.enabled is True
    assert profile.origin("branding.product_name").file == site
    assert profile.origin("branding.product_name").line == 7
    assert profile.origin("tenant.app_id").file == user
    assert str(profile.origin("tenant.sheet_id")) == "environment VIEWER_TENANT__SHEET_ID"
    assert profile.origin("kiosk.enabled").layer == "cli"
    assert str(profile.origin("network.keepalive_interval_s")) == "built-in default"
    assert profile.files == (site, user)


def test_site_file_can_be_ignored(locations: ConfigLocations) -> None:
    write(locations.site_file, "this is not toml")
    write(locations.profile_file("default"), GOOD)
    assert load(locations, use_site_file=False).config.tenant.app_id == "app-user"


def test_locked_key_set_by_the_user_names_both_files(locations: ConfigLocations) -> None:
    site = write(
        locations.site_file,
        '[tenant]\nbase_url = "https://site.example.com"\n'
        '[locks]\nkeys = ["tenant.base_url", "kiosk"]\n',
    )
    user = write(locations.profile_file("default"), GOOD)
    problems = problems_of(locations, environ={"VIEWER_KIOSK__ENABLED": "true"})
    assert len(problems) == 2
    assert problems[0].startswith(
        f"{user}:2:1: tenant.base_url: locked by the site file {site}:4:1"
    )
    assert problems[1].startswith("environment VIEWER_KIOSK__ENABLED: kiosk.enabled: locked")


def test_locks_outside_the_site_file_and_unknown_locks(locations: ConfigLocations) -> None:
    write(locations.site_file, '[locks]\nkeys = ["tenant.baseurl"]\n')
    write(locations.profile_file("default"), GOOD + '[locks]\nkeys = ["auth"]\n')
    problems = problems_of(locations)
    assert any("locks: locks can only be set in the site file" in p for p in problems)
    assert any("`viewer config validate --as-site FILE`" in p for p in problems)  # the way out
    assert any("locks.keys[0]: not a configuration key" in p and "tenant.base_url" in p
               for p in problems)  # fmt: skip


def test_a_higher_layer_changing_auth_mode_replaces_the_auth_table(
    locations: ConfigLocations,
) -> None:
    write(
        locations.site_file,
        '[auth]\nmode = "cloud-jwt"\nprivate_key = "env:K"\nkid = "k"\nissuer = "i"\n'
        'subject = "s"\n',
    )
    write(locations.profile_file("default"), GOOD + '[auth]\nmode = "cloud-interactive"\n')
    assert load(locations).config.auth.mode == "cloud-interactive"


def test_a_higher_layer_keeping_auth_mode_merges_into_it(locations: ConfigLocations) -> None:
    write(locations.site_file, '[auth]\nmode = "cloud-jwt"\nprivate_key = "env:K"\nkid = "k"\n')
    write(
        locations.profile_file("default"),
        GOOD + '[auth]\nissuer = "i"\nsubject = "s"\nemail = "s@example.com"\n',
    )
    auth = load(locations).config.auth
    assert auth.mode == "cloud-jwt"
    assert (auth.kid, auth.issuer) == ("k", "i")


def test_environment_lists_are_json_and_other_viewer_variables_ignored(
    locations: ConfigLocations,
) -> None:
    write(locations.profile_file("default"), GOOD)
    environ = {"VIEWER_TENANT__SHEETS": '["a", "b"]', "VIEWER_LOG_LEVEL": "DEBUG"}
    assert load(locations, environ=environ).config.tenant.sheets == ["a", "b"]


def test_bad_environment_json_and_unknown_environment_key(locations: ConfigLocations) -> None:
    write(locations.profile_file("default"), GOOD)
    assert problems_of(locations, environ={"VIEWER_TENANT__SHEETS": "[oops"})[0].startswith(
        "environment VIEWER_TENANT__SHEETS: not valid JSON"
    )
    problems = problems_of(locations, environ={"VIEWER_TENANT__APPID": "x"})
    assert problems == [
        "environment VIEWER_TENANT__APPID: tenant.appid: unknown key (value: 'x')\n"
        "    hint: did you mean 'app_id'?"
    ]


def test_relative_paths_in_a_file_are_relative_to_that_file(
    locations: ConfigLocations, tmp_path: Path
) -> None:
    user = write(
        locations.profile_file("default"),
        GOOD + '[branding]\nlogo = "logo.png"\n[network]\nca_bundle = "/abs/ca.pem"\n',
    )
    config = load(locations).config
    assert config.branding.logo == user.parent.resolve() / "logo.png"
    assert config.network.ca_bundle == Path("/abs/ca.pem")


def test_relative_file_references_are_relative_to_that_file(locations: ConfigLocations) -> None:
    user = write(
        locations.profile_file("default"),
        GOOD + '[auth]\nmode = "api-key"\napi_key = "file:secrets/api.txt"\n',
    )
    auth = load(locations).config.auth
    assert auth.mode == "api-key"
    assert auth.api_key == f"file:{user.parent.resolve() / 'secrets' / 'api.txt'}"


def test_missing_profile_and_syntax_errors_are_located(locations: ConfigLocations) -> None:
    missing = problems_of(locations, name="nope")
    assert missing == [
        f"{locations.profile_file('nope')}: there is no profile named 'nope' (there is none yet)"
        "\n    hint: write it as nope.toml in that folder (docs/examples/ has one for every auth "
        "mode), or give a profile file with --config PATH"
    ]
    write(locations.profile_file("wall"), GOOD)
    write(locations.profile_file("Desk"), GOOD)
    assert "(the profiles there: Desk, wall)" in problems_of(locations, name="nope")[0]
    given = locations.profile_file("given-by-path")
    assert problems_of(locations, config_file=given) == [
        f"{given}: file not found\n    hint: check the path"
    ]
    bad = write(locations.profile_file("default"), '[tenant]\nbase_url = "x\n')
    problems = problems_of(locations)
    assert len(problems) == 1
    assert problems[0].startswith(f"{bad}:2:")
    assert "TOML syntax error" in problems[0]


def test_a_syntax_error_at_the_end_of_the_file_names_its_last_line(
    locations: ConfigLocations,
) -> None:
    bad = write(locations.profile_file("default"), GOOD + "sheets = [1,\n")
    assert problems_of(locations) == [
        f"{bad}:4:13: TOML syntax error: Invalid value at the end of the file\n"
        "    hint: fix the syntax at that position (strings need quotes, tables [like.this])"
    ]


def test_a_file_that_is_not_text_or_not_a_file_says_which(locations: ConfigLocations) -> None:
    binary = locations.profile_file("binary")
    binary.parent.mkdir(parents=True)
    binary.write_bytes(b"[tenant]\n\xff\xfe\x00")
    assert problems_of(locations, name="binary") == [
        f"{binary}: it is not UTF-8 text (byte 9 cannot be decoded)\n    hint: a configuration file is "
        "TOML text saved as UTF-8; check that this is the file you meant"
    ]
    folder = locations.profile_file("folder")
    folder.mkdir()
    assert problems_of(locations, name="folder") == [
        f"{folder}: it is a directory, not a file\n    hint: give the path of the TOML file itself"
    ]


def test_a_key_no_layer_sets_is_a_default_even_inside_a_table_a_file_has(
    locations: ConfigLocations,
) -> None:
    user = write(locations.profile_file("default"), GOOD)
    profile = load(locations)
    assert profile.origin("tenant.app_id").file == user
    assert str(profile.origin("tenant.prefix")) == "built-in default"
    assert str(profile.origin("tenant.single.theme")) == "built-in default"


def test_identity_is_generated_once_per_profile_and_kept(locations: ConfigLocations) -> None:
    write(locations.profile_file("wall"), GOOD)
    write(locations.profile_file("desk"), GOOD)
    first = load(locations, name="wall").identity()
    assert first == load(locations, name="wall").identity()
    assert first != load(locations, name="desk").identity()
    assert first != load(locations, name="wall").identity(window=1)
    assert (locations.state_dir / "identities" / "wall").read_text().strip() == first


def test_configured_identity_wins(locations: ConfigLocations) -> None:
    write(locations.profile_file("default"), GOOD + 'identity = "wall-7"\n')
    profile = load(locations)
    assert profile.identity() == "wall-7"
    assert profile.identity(window=2) == "wall-7-2"
    assert not (locations.state_dir / "identities").exists()


def test_profile_given_as_file_gets_a_name_per_path(
    tmp_path: Path, locations: ConfigLocations
) -> None:
    one = write(tmp_path / "a" / "wall.toml", GOOD)
    two = write(tmp_path / "b" / "wall.toml", GOOD)
    name_one = load(locations, config_file=one).name
    assert name_one.startswith("wall-")
    assert name_one != load(locations, config_file=two).name


def test_a_site_file_alone_may_leave_required_keys_out(tmp_path: Path) -> None:
    site = write(tmp_path / "site.toml", '[locks]\nkeys = ["auth"]\n[kiosk]\nenabled = true\n')
    config, stacked, problems = load_layers(site_file=site, user_file=None, require_complete=False)
    assert problems == []
    assert config is None  # incomplete on its own
    assert stacked.values["kiosk"] == {"enabled": True}


def test_an_empty_file_reference_stays_an_error(locations: ConfigLocations) -> None:
    write(locations.profile_file("default"), GOOD + '[auth]\nmode = "api-key"\napi_key = "file:"\n')
    problems = problems_of(locations)
    assert len(problems) == 1
    assert "auth.api_key: not a secret reference" in problems[0]
