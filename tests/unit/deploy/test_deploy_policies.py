"""What installers and administrators are given, checked against what the viewer reads back:
a site file written from installer properties, the ADMX/ADML template (registry values as it
writes them, read by the registry policy layer) and the macOS configuration profile (its
forced preferences, read by the managed-preferences layer)."""

from __future__ import annotations

import plistlib
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from viewer.config import ConfigError, ConfigLocations, load_profile
from viewer.config.loading import load_layers
from viewer.config.policy import (
    ManagedPreferences,
    PolicySet,
    RegistryPolicies,
    RegistryValue,
)
from viewer.deploy.admx import ADMX_NS, PolicyKey, adml, admx, policy_keys
from viewer.deploy.mobileconfig import forced_settings, mobileconfig
from viewer.deploy.site_file import site_file_text

NS = {"p": ADMX_NS}


class DictRegistry:
    """A registry hive as a dict: key path -> {value name: value}."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, RegistryValue]] = {}

    def set(self, key: str, name: str, value: RegistryValue) -> None:
        self.keys.setdefault(key, {})[name] = value

    def subkeys(self, path: str) -> list[str]:
        prefix = path + "\\"
        return sorted({k[len(prefix) :].split("\\")[0] for k in self.keys if k.startswith(prefix)})

    def values(self, path: str) -> dict[str, RegistryValue]:
        return dict(self.keys.get(path, {}))


def _locations(tmp_path: Path, *sources: object) -> ConfigLocations:
    locations = ConfigLocations(
        site_file=tmp_path / "none" / "site.toml",
        profiles_dir=tmp_path / "profiles",
        state_dir=tmp_path / "state",
        policies=PolicySet(sources),  # type: ignore[arg-type]
    )
    (tmp_path / "profiles").mkdir(exist_ok=True)
    locations.profile_file("default").write_text("", encoding="utf-8")
    return locations


# --- site file from installer properties --------------------------------------------------


def test_installer_properties_become_a_typed_valid_site_file(tmp_path: Path) -> None:
    text = site_file_text(
        {
            "tenant.base_url": "https://acme.eu.qlikcloud.com",
            "tenant.app_id": "app-1",
            "tenant.sheet_id": "",
            "tenant.single.opt": '["noanimate"]',
            "kiosk.enabled": "true",
            "kiosk.hide_cursor_after_s": "3",
            "auth.mode": "cloud-interactive",
        },
        locks=["tenant.base_url"],
    )
    values = tomllib.loads(text)
    assert values["kiosk"] == {"enabled": True, "hide_cursor_after_s": 3}
    assert values["tenant"]["single"]["opt"] == ["noanimate"]
    assert "sheet_id" not in values["tenant"]
    assert values["locks"]["keys"] == ["tenant.base_url"]
    site = tmp_path / "site.toml"
    site.write_text(text, encoding="utf-8")
    config, _, problems = load_layers(site_file=site, user_file=None)
    assert problems == []
    assert config is not None
    assert config.auth.mode == "cloud-interactive"


def test_every_bad_installer_property_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        site_file_text(
            {
                "tenant.baseurl": "https://x.example.com",
                "kiosk.hide_cursor_after_s": "soon",
                "auth.mode": "cloud-jwt",
                "auth.private_key": "-----BEGIN PRIVATE KEY----- abc",
            },
            locks=["kiosk.enabeld"],
        )
    rendered = caught.value.render()
    assert "installer property tenant.baseurl: not a configuration key" in rendered
    assert "did you mean 'tenant.base_url'?" in rendered
    assert "installer property kiosk.hide_cursor_after_s:" in rendered
    assert "auth.private_key: not a secret reference" in rendered
    assert "BEGIN PRIVATE KEY" not in rendered
    assert "locks.keys[0]: not a configuration key" in rendered


# --- ADMX / ADML ----------------------------------------------------------------------------


def _strings_and_presentations() -> tuple[set[str], set[str]]:
    root = ET.fromstring(adml())
    strings = {e.get("id", "") for e in root.iterfind(".//p:stringTable/p:string", NS)}
    presentations = {e.get("id", "") for e in root.iterfind(".//p:presentation", NS)}
    return strings, presentations


def test_the_admx_has_a_policy_per_key_and_every_reference_resolves() -> None:
    root = ET.fromstring(admx())
    policies = root.findall(".//p:policies/p:policy", NS)
    assert {p.get("name") for p in policies} == {k.name for k in policy_keys()}
    strings, presentations = _strings_and_presentations()
    for element in root.iter():
        for value in element.attrib.values():
            if value.startswith("$(string."):
                assert value[len("$(string.") : -1] in strings, value
            if value.startswith("$(presentation."):
                assert value[len("$(presentation.") : -1] in presentations, value
    categories = {c.get("name") for c in root.iterfind(".//p:category", NS)}
    for policy in policies:
        parent = policy.find("p:parentCategory", NS)
        assert parent is not None
        assert parent.get("ref") in categories


def test_the_admx_uses_the_right_element_for_each_type() -> None:
    kinds = {key.path: key for key in policy_keys()}
    assert kinds["kiosk.enabled"].kind == "boolean"
    assert kinds["web.renderer_memory_limit_mb"].kind == "decimal"
    assert kinds["tenant.sheets"].kind == "list"
    assert kinds["web.rendering"].choices == ("auto", "gpu", "software")
    assert "cloud-jwt" in kinds["auth.mode"].choices
    assert kinds["network.keepalive_interval_s"].kind == "text"
    assert "locks.keys" not in kinds


def _as_group_policy_writes(key: PolicyKey, value: object) -> RegistryValue:
    """The registry value Group Policy writes for an ADMX element of this kind."""
    if key.kind == "boolean":
        return 1 if value else 0
    if key.kind == "decimal":
        return int(value)  # type: ignore[call-overload,no-any-return]
    if key.kind == "list":
        return list(value)  # type: ignore[call-overload]
    return str(value)


def test_values_written_as_the_admx_says_are_read_back_as_configuration(tmp_path: Path) -> None:
    chosen = {
        "tenant.base_url": "https://gpo.example.com",
        "tenant.app_id": "app-gpo",
        "tenant.sheets": ["s1", "s2"],
        "tenant.single.clear_selections": True,
        "kiosk.enabled": True,
        "network.keepalive_interval_s": 2.5,
        "web.renderer_memory_limit_mb": 900,
        "web.rendering": "software",
        "auth.mode": "qseow-header",
        "auth.header_name": "X-User",
        "auth.user_id": "wall-1",
        "tenant.kind": "qseow",
        "tenant.prefix": "hdr",
    }
    keys = {key.path: key for key in policy_keys()}
    registry = DictRegistry()
    for path, value in chosen.items():
        key = keys[path]
        registry.set(key.registry_key, key.value_name, _as_group_policy_writes(key, value))
    profile = load_profile(locations=_locations(tmp_path, RegistryPolicies(registry)), environ={})
    config = profile.config
    assert config.tenant.sheets == ["s1", "s2"]
    assert config.tenant.single.clear_selections is True
    assert config.kiosk.enabled is True
    assert config.network.keepalive_interval_s == 2.5
    assert config.web.renderer_memory_limit_mb == 900
    assert config.web.rendering == "software"
    assert config.auth.mode == "qseow-header"


# --- macOS configuration profile ------------------------------------------------------------


def test_a_profile_forces_the_site_settings_and_the_viewer_reads_them(tmp_path: Path) -> None:
    settings = {
        "tenant": {"base_url": "https://mdm.example.com", "app_id": "app-mdm"},
        "kiosk": {"enabled": True},
        "locks": {"keys": ["tenant.base_url"]},
    }
    profile = mobileconfig(settings, organization="Acme", domain="org.example.viewer")
    parsed = plistlib.loads(profile)
    assert parsed["PayloadType"] == "Configuration"
    assert parsed["PayloadScope"] == "System"
    assert profile == mobileconfig(settings, organization="Acme", domain="org.example.viewer")
    forced = forced_settings(profile, "org.example.viewer")
    assert "locks" not in forced
    managed = tmp_path / "Managed Preferences"
    managed.mkdir()
    (managed / "org.example.viewer.plist").write_bytes(plistlib.dumps(forced))
    source = ManagedPreferences(managed, "org.example.viewer")
    config = load_profile(locations=_locations(tmp_path, source), environ={}).config
    assert config.tenant.app_id == "app-mdm"
    assert config.kiosk.enabled is True
