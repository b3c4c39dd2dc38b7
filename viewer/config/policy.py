"""Managed policies, the way administrators already pre-configure Chrome: a folder of TOML
files on Linux (`/etc/viewer/policies/managed/*.toml`), values under
`HKLM\\Software\\Policies\\<vendor>\\Viewer` on Windows (set by Group Policy from the ADMX
template), and managed preferences on macOS (`/Library/Managed Preferences/<domain>.plist`,
pushed by a configuration profile).

Each source yields configuration layers (`layer="policy"`) that stack above the site file and
below the user's profile; every key a policy sets is locked for the layers above it, with the
same located error as a site-file lock. The OS specifics sit behind two small reader interfaces
(`RegistryReader`, the managed-preferences folder), so the logic is tested anywhere with fakes.
"""

from __future__ import annotations

import plistlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from viewer.config.errors import ConfigError, Origin, Problem
from viewer.config.layers import LayerData, key_paths, read_file_layer

POLICY_VENDOR: Final = "ViewerProject"
POLICY_PRODUCT: Final = "Viewer"
REGISTRY_POLICY_KEY: Final = rf"Software\Policies\{POLICY_VENDOR}\{POLICY_PRODUCT}"
MACOS_DOMAIN: Final = "org.viewerproject.viewer"
LINUX_POLICY_DIR: Final = Path("/etc/viewer/policies/managed")
MACOS_MANAGED_DIR: Final = Path("/Library/Managed Preferences")


class PolicySource(Protocol):
    """Where managed policies come from; `layers()` raises `ConfigError` for bad input."""

    def layers(self) -> list[LayerData]: ...


# --- Linux (and any system with a policy folder) -------------------------------------------


@dataclass(frozen=True)
class ManagedFolder:
    """Every `*.toml` file in a folder, in name order (a later file wins on the same key)."""

    folder: Path = LINUX_POLICY_DIR

    def layers(self) -> list[LayerData]:
        if not self.folder.is_dir():
            return []
        layers: list[LayerData] = []
        problems: list[Problem] = []
        for path in sorted(self.folder.glob("*.toml")):
            try:
                layers.append(read_file_layer(path, "policy"))
            except ConfigError as error:
                problems.extend(error.problems)
        if problems:
            raise ConfigError(problems)
        return layers


# --- Windows --------------------------------------------------------------------------------


RegistryValue = str | int | list[str]


class RegistryReader(Protocol):
    """Read access to one registry hive (HKLM). Paths are backslash-separated, relative to the
    hive. A missing key reads as having no subkeys and no values."""

    def subkeys(self, path: str) -> list[str]: ...

    def values(self, path: str) -> dict[str, RegistryValue]: ...


class WinRegReader:
    """`RegistryReader` over HKEY_LOCAL_MACHINE with the standard library's `winreg`."""

    def subkeys(self, path: str) -> list[str]:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            return []
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path) as key:
                count = winreg.QueryInfoKey(key)[0]
                return [str(winreg.EnumKey(key, index)) for index in range(count)]
        except OSError:
            return []

    def values(self, path: str) -> dict[str, RegistryValue]:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            return {}
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path) as key:
                count = winreg.QueryInfoKey(key)[1]
                found: dict[str, RegistryValue] = {}
                for index in range(count):
                    name, value, _kind = winreg.EnumValue(key, index)
                    found[str(name)] = value
                return found
        except OSError:
            return {}


@dataclass(frozen=True)
class RegistryPolicies:
    """Policy values under `HKLM\\<root>`: a subkey per table (`tenant`, `kiosk`, …, nested
    tables as nested subkeys) and a value per key — REG_SZ for text, REG_DWORD for numbers and
    switches (0/1), REG_MULTI_SZ for lists. This is what the ADMX template writes."""

    reader: RegistryReader
    root: str = REGISTRY_POLICY_KEY

    def _read(self, path: str, prefix: str, origins: dict[str, Origin]) -> dict[str, Any]:
        table: dict[str, Any] = {}
        for name, value in sorted(self.reader.values(path).items()):
            if not name:
                continue  # the key's default value is not a policy
            key_path = f"{prefix}{name}"
            table[name] = list(value) if isinstance(value, list) else value
            origins[key_path] = Origin("policy", name=rf"HKLM\{path}\{name}")
        for sub in sorted(self.reader.subkeys(path)):
            nested = self._read(rf"{path}\{sub}", f"{prefix}{sub}.", origins)
            if nested:
                table[sub] = nested
                origins.setdefault(f"{prefix}{sub}", Origin("policy", name=rf"HKLM\{path}\{sub}"))
        return table

    def layers(self) -> list[LayerData]:
        origins: dict[str, Origin] = {}
        values = self._read(self.root, "", origins)
        return [LayerData("policy", values, origins)] if values else []


# --- macOS ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManagedPreferences:
    """macOS managed preferences of `domain`: the machine-wide plist and the current user's
    (`<dir>/<user>/<domain>.plist`, which wins), as written by an MDM configuration profile.
    A preference's value is a table (dict) or a value, exactly like the TOML it mirrors."""

    folder: Path = MACOS_MANAGED_DIR
    domain: str = MACOS_DOMAIN
    user: str | None = None

    def _files(self) -> list[Path]:
        files = [self.folder / f"{self.domain}.plist"]
        if self.user:
            files.append(self.folder / self.user / f"{self.domain}.plist")
        return [path for path in files if path.is_file()]

    def layers(self) -> list[LayerData]:
        layers = []
        for path in self._files():
            try:
                with path.open("rb") as file:
                    values = plistlib.load(file)
            except (OSError, plistlib.InvalidFileException, ValueError) as error:
                raise ConfigError(
                    [
                        Problem(
                            "",
                            f"not a readable property list ({type(error).__name__})",
                            "reinstall the configuration profile",
                            origin=Origin("policy", path),
                            code="unreadable",
                        )
                    ]
                ) from None
            if not isinstance(values, dict):
                values = {}
            origins = {
                key: Origin("policy", path, name=f"{self.domain}: {key}")
                for key in key_paths(values)
            }
            layers.append(LayerData("policy", values, origins, path))
        return layers


# --- the platform's sources -----------------------------------------------------------------


@dataclass(frozen=True)
class PolicySet:
    """The policy sources of one machine, read together; `read` collects every problem."""

    sources: Sequence[PolicySource] = field(default_factory=tuple)

    def read(self) -> tuple[list[LayerData], list[Problem]]:
        layers: list[LayerData] = []
        problems: list[Problem] = []
        for source in self.sources:
            try:
                layers.extend(source.layers())
            except ConfigError as error:
                problems.extend(error.problems)
        return layers, problems


def platform_policies(platform: str = sys.platform) -> PolicySet:
    """The sources an administrator uses on this platform (Chrome's conventions)."""
    import getpass

    if platform == "win32":
        return PolicySet((RegistryPolicies(WinRegReader()),))
    if platform == "darwin":
        return PolicySet((ManagedPreferences(user=getpass.getuser()),))
    return PolicySet((ManagedFolder(),))
