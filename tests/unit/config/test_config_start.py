"""The profile a bare `viewer` opens: the site's when its configuration is complete, else the
user's last started, else `default`; otherwise a reason that names what is missing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from viewer.config import ConfigError, ConfigLocations
from viewer.config.policy import ManagedFolder, PolicySet
from viewer.config.start import (
    NothingToStart,
    StartProfile,
    choose_start_profile,
    last_profile,
    remember_last_profile,
)

COMPLETE = '[tenant]\nbase_url = "https://site.example.com"\napp_id = "app-site"\n'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def locations(tmp_path: Path) -> ConfigLocations:
    return ConfigLocations(
        site_file=tmp_path / "etc" / "site.toml",
        profiles_dir=tmp_path / "home" / "profiles",
        state_dir=tmp_path / "state",
    )


def started(locations: ConfigLocations) -> StartProfile:
    choice = choose_start_profile(locations, environ={})
    assert isinstance(choice, StartProfile), choice
    return choice


def test_a_complete_site_file_is_opened_without_a_profile(locations: ConfigLocations) -> None:
    write(locations.site_file, COMPLETE + "[kiosk]\nenabled = true\n")
    write(locations.profile_file("default"), '[tenant]\napp_id = "app-user"\n')
    choice = started(locations)
    assert (choice.source, choice.profile.name) == ("site", "site")
    assert choice.profile.config.tenant.app_id == "app-site"
    assert choice.profile.config.kiosk.enabled
    assert choice.profile.files == (locations.site_file,)


def test_managed_policies_alone_can_make_the_site_configuration(
    locations: ConfigLocations, tmp_path: Path
) -> None:
    write(tmp_path / "managed" / "p.toml", COMPLETE)
    with_policy = replace(locations, policies=PolicySet((ManagedFolder(tmp_path / "managed"),)))
    assert started(with_policy).source == "site"


def test_an_incomplete_site_file_falls_back_to_the_last_profile(
    locations: ConfigLocations,
) -> None:
    write(locations.site_file, '[tenant]\nbase_url = "https://site.example.com"\n')
    write(locations.profile_file("default"), '[tenant]\napp_id = "app-default"\n')
    write(locations.profile_file("wall"), '[tenant]\napp_id = "app-wall"\n')
    remember_last_profile(locations, "wall")
    choice = started(locations)
    assert (choice.source, choice.profile.name) == ("last", "wall")
    assert str(choice.profile.config.tenant.base_url).startswith("https://site.example.com")


def test_a_last_profile_whose_file_is_gone_is_forgotten(locations: ConfigLocations) -> None:
    remember_last_profile(locations, "gone")
    assert last_profile(locations) is None
    write(locations.profile_file("default"), COMPLETE)
    assert started(locations).source == "default"


def test_nothing_to_open_names_the_missing_keys_and_the_profile_file(
    locations: ConfigLocations,
) -> None:
    write(locations.site_file, '[tenant]\napp_id = "app-site"\n')
    choice = choose_start_profile(locations, environ={})
    assert isinstance(choice, NothingToStart)
    assert f"the site configuration ({locations.site_file}) lacks tenant.base_url" in choice.reason
    assert str(locations.profile_file("default")) in choice.reason


def test_a_site_without_an_app_opens_its_hub_when_the_user_has_no_profile(
    locations: ConfigLocations,
) -> None:
    write(locations.site_file, '[tenant]\nbase_url = "https://site.example.com"\n')
    choice = choose_start_profile(locations, environ={})
    assert isinstance(choice, StartProfile)
    assert choice.source == "site"
    assert choice.profile.config.tenant.app_id is None


def test_nothing_at_all_says_there_is_no_site_file(locations: ConfigLocations) -> None:
    choice = choose_start_profile(locations, environ={})
    assert isinstance(choice, NothingToStart)
    assert f"there is no site file ({locations.site_file})" in choice.reason


def test_a_broken_site_file_is_reported_with_its_problems(locations: ConfigLocations) -> None:
    write(locations.site_file, COMPLETE + "[kiosk]\nenabeld = true\n")
    choice = choose_start_profile(locations, environ={})
    assert isinstance(choice, NothingToStart)
    assert "kiosk.enabeld: unknown key" in choice.reason


def test_an_invalid_user_profile_is_an_error_not_a_fallback(locations: ConfigLocations) -> None:
    write(locations.profile_file("default"), "[tenant\n")
    with pytest.raises(ConfigError):
        choose_start_profile(locations, environ={})
