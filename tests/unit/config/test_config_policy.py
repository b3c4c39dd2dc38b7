"""Managed policies as configuration layers: the Linux policy folder, the Windows registry (a
fake reader stands in for winreg) and macOS managed preferences (real plist files in a folder).
Each stacks above the site file, locks every key it sets, and reports problems where they are."""

from __future__ import annotations

import plistlib
from dataclasses import replace
from pathlib import Path

import pytest

from viewer.config import ConfigError, ConfigLocations, Profile, load_profile
from viewer.config.policy import (
    REGISTRY_POLICY_KEY,
    ManagedFolder,
    ManagedPreferences,
    PolicySet,
    RegistryPolicies,
    RegistryValue,
    platform_policies,
)

USER = '[tenant]\nbase_url = "https://user.example.com"\napp_id = "app-user"\n'


class FakeRegistry:
    """A registry hive as a dict: key path -> {value name: value}."""

    def __init__(self, keys: dict[str, dict[str, RegistryValue]]) -> None:
        self.keys = keys

    def subkeys(self, path: str) -> list[str]:
        prefix = path + "\\"
        return sorted({k[len(prefix) :].split("\\")[0] for k in self.keys if k.startswith(prefix)})

    def values(self, path: str) -> dict[str, RegistryValue]:
        return dict(self.keys.get(path, {}))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def locations(tmp_path: Path) -> ConfigLocations:
    """The places of one machine, with an empty default profile (tests fill it when needed)."""
    found = ConfigLocations(
        site_file=tmp_path / "site" / "site.toml",
        profiles_dir=tmp_path / "user" / "profiles",
        state_dir=tmp_path / "state",
    )
    write(found.profile_file("default"), "")
    return found


def load(locations: ConfigLocations, *sources: object, **kwargs: object) -> Profile:
    with_policies = replace(locations, policies=PolicySet(sources))  # type: ignore[arg-type]
    return load_profile(locations=with_policies, environ=kwargs.pop("environ", {}), **kwargs)  # type: ignore[arg-type]


def problems(locations: ConfigLocations, *sources: object, **kwargs: object) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(locations, *sources, **kwargs)
    return [problem.render() for problem in caught.value.problems]


def test_policy_files_stack_above_the_site_file_in_name_order(
    locations: ConfigLocations, tmp_path: Path
) -> None:
    write(locations.site_file, '[tenant]\napp_id = "app-site"\n[branding]\nproduct_name = "Site"\n')
    folder = tmp_path / "managed"
    write(folder / "10-tenant.toml", '[tenant]\nbase_url = "https://policy.example.com"\n')
    second = write(folder / "20-brand.toml", '[branding]\nproduct_name = "Policy"\n')
    write(folder / "ignored.txt", "not a policy")
    profile = load(locations, ManagedFolder(folder))
    assert str(profile.config.tenant.base_url).startswith("https://policy.example.com")
    assert profile.config.tenant.app_id == "app-site"
    assert profile.config.branding.product_name == "Policy"
    assert profile.origin("branding.product_name").file == second
    assert profile.origin("branding.product_name").layer == "policy"


def test_a_key_a_policy_sets_is_locked_for_the_user_and_the_environment(
    locations: ConfigLocations, tmp_path: Path
) -> None:
    policy = write(
        tmp_path / "managed" / "p.toml", '[tenant]\nbase_url = "https://policy.example.com"\n'
    )
    user = write(locations.profile_file("default"), USER + "[kiosk]\nenabled = true\n")
    found = problems(locations, ManagedFolder(policy.parent))
    assert found == [
        f"{user}:2:1: tenant.base_url: locked by a managed policy {policy}:2:1\n"
        f"    hint: remove it from {user}:2:1; only a managed policy may set it"
    ]
    write(locations.profile_file("default"), '[tenant]\napp_id = "a"\n')
    found = problems(
        locations,
        ManagedFolder(policy.parent),
        environ={"VIEWER_TENANT__BASE_URL": "https://env.example.com"},
    )
    assert len(found) == 1
    assert found[0].startswith("environment VIEWER_TENANT__BASE_URL: tenant.base_url: locked")


def test_a_policy_locks_only_its_keys_not_their_table(
    locations: ConfigLocations, tmp_path: Path
) -> None:
    write(tmp_path / "managed" / "p.toml", '[tenant]\napp_id = "app-policy"\n')
    write(locations.profile_file("default"), '[tenant]\nbase_url = "https://u.example.com"\n')
    assert load(locations, ManagedFolder(tmp_path / "managed")).config.tenant.app_id == "app-policy"


def test_a_bad_policy_file_is_reported_where_it_is(
    locations: ConfigLocations, tmp_path: Path
) -> None:
    bad = write(tmp_path / "managed" / "p.toml", "[tenant\n")
    write(locations.profile_file("default"), USER)
    (found,) = problems(locations, ManagedFolder(bad.parent))
    assert found.startswith(f"{bad}:1:")
    assert "TOML syntax error" in found
    wrong = write(bad, "[kiosk]\nenabeld = true\n")
    (found,) = problems(locations, ManagedFolder(wrong.parent))
    assert found.startswith(f"{wrong}:2:1: kiosk.enabeld: unknown key")


def test_a_missing_policy_folder_is_no_policy(locations: ConfigLocations, tmp_path: Path) -> None:
    write(locations.profile_file("default"), USER)
    assert load(locations, ManagedFolder(tmp_path / "nowhere")).config.tenant.app_id == "app-user"


def test_registry_values_become_typed_settings(locations: ConfigLocations) -> None:
    root = REGISTRY_POLICY_KEY
    registry = FakeRegistry(
        {
            root: {"": "default value, not a policy"},
            rf"{root}\tenant": {"base_url": "https://reg.example.com", "app_id": "app-reg"},
            rf"{root}\tenant\single": {"opt": ["nointeraction", "noanimate"]},
            rf"{root}\kiosk": {"enabled": 1, "hide_cursor_after_s": 7},
        }
    )
    profile = load(locations, RegistryPolicies(registry))
    config = profile.config
    assert config.tenant.app_id == "app-reg"
    assert config.tenant.single.opt == ["nointeraction", "noanimate"]
    assert config.kiosk.enabled is True
    assert config.kiosk.hide_cursor_after_s == 7
    assert str(profile.origin("kiosk.enabled")) == rf"policy HKLM\{root}\kiosk\enabled"


def test_a_bad_registry_value_is_reported_with_its_registry_path(
    locations: ConfigLocations,
) -> None:
    root = REGISTRY_POLICY_KEY
    registry = FakeRegistry(
        {
            rf"{root}\tenant": {"base_url": "https://reg.example.com", "app_id": "a"},
            rf"{root}\kiosk": {"enabled": "perhaps"},
        }
    )
    (found,) = problems(locations, RegistryPolicies(registry))
    assert found.startswith(rf"policy HKLM\{root}\kiosk\enabled: kiosk.enabled:")


def test_registry_policies_lock_the_users_profile(locations: ConfigLocations) -> None:
    root = REGISTRY_POLICY_KEY
    registry = FakeRegistry({rf"{root}\tenant": {"base_url": "https://reg.example.com"}})
    user = write(locations.profile_file("default"), USER)
    (found,) = problems(locations, RegistryPolicies(registry))
    assert found.startswith(
        rf"{user}:2:1: tenant.base_url: locked by a managed policy policy HKLM\{root}\tenant\base_url"
    )


def _plist(path: Path, values: dict[str, object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(plistlib.dumps(values))
    return path


def test_macos_managed_preferences_user_wins_over_machine(
    locations: ConfigLocations, tmp_path: Path
) -> None:
    folder = tmp_path / "Managed Preferences"
    domain = "org.example.viewer"
    _plist(
        folder / f"{domain}.plist",
        {"tenant": {"base_url": "https://mac.example.com", "app_id": "app-machine"}},
    )
    user_file = _plist(folder / "ann" / f"{domain}.plist", {"tenant": {"app_id": "app-ann"}})
    profile = load(locations, ManagedPreferences(folder, domain, user="ann"))
    assert profile.config.tenant.app_id == "app-ann"
    assert str(profile.origin("tenant.app_id")) == f"{user_file} ({domain}: tenant.app_id)"


def test_an_unreadable_managed_preference_is_a_located_problem(
    locations: ConfigLocations, tmp_path: Path
) -> None:
    folder = tmp_path / "Managed Preferences"
    broken = write(folder / "org.example.viewer.plist", "not a plist")
    write(locations.profile_file("default"), USER)
    (found,) = problems(locations, ManagedPreferences(folder, "org.example.viewer"))
    assert found.startswith(f"{broken}: not a readable property list")


def test_each_platform_reads_its_own_kind_of_policy() -> None:
    assert isinstance(platform_policies("linux").sources[0], ManagedFolder)
    assert isinstance(platform_policies("win32").sources[0], RegistryPolicies)
    assert isinstance(platform_policies("darwin").sources[0], ManagedPreferences)
