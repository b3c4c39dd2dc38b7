"""Loading a profile: find the files (platformdirs), stack the layers (defaults < site file <
managed policies < user profile < `VIEWER_*` environment < command-line overrides), check locks
(the site file's and every key a policy sets) and validate.
Every problem found is collected and raised together in one `ConfigError`."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import platformdirs
from pydantic import ValidationError

from viewer.config.errors import ConfigError, Origin, Problem, problems_from_validation
from viewer.config.files import safe_file_name
from viewer.config.identity import stable_identity
from viewer.config.layers import (
    LayerData,
    env_layer,
    lock_problems,
    overrides_layer,
    read_file_layer,
    stack,
)
from viewer.config.models import ViewerConfig
from viewer.config.policy import PolicySet, platform_policies

APP_NAME: Final = "viewer"
SITE_FILE_NAME: Final = "site.toml"
PROFILES_DIR_NAME: Final = "profiles"
DEFAULT_PROFILE: Final = "default"
SITE_PROFILE: Final = "site"  # the name of the site's own configuration run without a profile
_DEFAULT_ORIGIN: Final = Origin("default")


@dataclass(frozen=True)
class ConfigLocations:
    """Where configuration lives: the site file an installer ships, the managed policies, the
    user's profiles, and the state directory (stable identities)."""

    site_file: Path
    profiles_dir: Path
    state_dir: Path
    policies: PolicySet = field(default_factory=PolicySet)

    @classmethod
    def from_platform(cls) -> ConfigLocations:
        """The platform's standard directories (XDG on Linux, AppData on Windows, …)."""
        return cls(
            site_file=platformdirs.site_config_path(APP_NAME, appauthor=False) / SITE_FILE_NAME,
            profiles_dir=platformdirs.user_config_path(APP_NAME, appauthor=False)
            / PROFILES_DIR_NAME,
            state_dir=platformdirs.user_state_path(APP_NAME, appauthor=False),
            policies=platform_policies(),
        )

    def profile_file(self, name: str) -> Path:
        """The file of the profile called `name`."""
        return self.profiles_dir / f"{name}.toml"


@dataclass(frozen=True)
class Profile:
    """A merged, validated configuration and where each of its values came from."""

    name: str
    config: ViewerConfig
    origins: Mapping[str, Origin]
    files: tuple[Path, ...]
    locations: ConfigLocations

    def origin(self, key_path: str) -> Origin:
        """Where the value at `key_path` came from: the layer that set this key, else `built-in
        default` (a key left out of a table a file has is a default, not that file's)."""
        return self.origins.get(key_path) or _DEFAULT_ORIGIN

    def identity(self, window: int = 0) -> str:
        """The engine-session identity: the configured one, else the one stored for this
        profile (and window), generated on first use."""
        configured = self.config.tenant.identity
        if configured is not None:
            return configured if window == 0 else f"{configured}-{window}"
        return stable_identity(self.locations.state_dir, self.name, window)


def user_profiles(locations: ConfigLocations) -> list[str]:
    """The names of the user's profiles (the `*.toml` files of the profiles directory), sorted."""
    try:
        files = [path for path in locations.profiles_dir.iterdir() if path.suffix == ".toml"]
    except OSError:
        return []
    return sorted((path.stem for path in files if path.is_file()), key=str.casefold)


def _profile_name(config_file: Path) -> str:
    """A profile name for a file given by path: its stem plus a digest of its absolute path,
    so two files with the same name keep separate identities."""
    digest = hashlib.sha256(str(config_file.resolve()).encode()).hexdigest()[:10]
    return f"{safe_file_name(config_file.stem)}-{digest}"


def _no_such_profile(name: str, user_file: Path, locations: ConfigLocations) -> Problem:
    """A profile asked for by name that has no file: what exists instead and how to make it."""
    names = user_profiles(locations)
    existing = f"the profiles there: {', '.join(names)}" if names else "there is none yet"
    return Problem(
        "", f"there is no profile named {name!r} ({existing})",
        f"write it as {user_file.name} in that folder (docs/examples/ has one for every auth "
        "mode), or give a profile file with --config PATH",
        origin=Origin("user", user_file), code="no_profile",
    )  # fmt: skip


def _check_profile_name(name: str) -> None:
    """A profile name names files and directories (profile, grant, web profile): one that could
    lead out of its directory (`../x`, `a/b`, `..`) is refused with a clear error."""
    if "/" in name or "\\" in name or name.strip(".") == "" or "\0" in name:
        raise ConfigError([Problem(
            "", f"the profile name {name!r} is not usable: it must not contain '/' or '\\' or "
            "be '.' or '..'",
            "name the profile with letters, digits, '.', '_' and '-', or give the file with "
            "--config PATH", code="profile_name",
        )])  # fmt: skip


def _validate(
    stacked: LayerData, fallback: Origin | None, problems: list[Problem]
) -> ViewerConfig | None:
    """Validate the stacked values. A problem no layer set (a missing key in a missing table)
    is attributed to `fallback`, the most specific file."""

    def origin_of(key_path: str) -> Origin | None:
        return stacked.origin_of(key_path) or fallback

    try:
        return ViewerConfig.model_validate(stacked.values)
    except ValidationError as error:
        problems.extend(problems_from_validation(error, origin_of))
        return None


_LAYER_RANK: Final = {"default": 0, "site": 1, "policy": 2, "user": 3, "env": 4, "cli": 5}


def _reading_order(problem: Problem) -> tuple[int, str, int, int]:
    """Problems sorted the way a reader goes through the files: layer, file, line, column."""
    origin = problem.origin
    if origin is None:
        return (len(_LAYER_RANK), "", 0, 0)
    where = str(origin.file or origin.name or "")
    return (_LAYER_RANK[origin.layer], where, origin.line or 0, origin.column or 0)


def _read_layers(
    *,
    site_file: Path | None,
    policies: PolicySet,
    user_file: Path | None,
    environ: Mapping[str, str] | None,
    overrides: Mapping[str, Any] | None,
    problems: list[Problem],
) -> tuple[list[LayerData], list[LayerData]]:
    """The administrators' layers (site file, managed policies) and the layers above them;
    unreadable files become problems."""
    admin: list[LayerData] = []
    upper: list[LayerData] = []
    try:
        if site_file is not None:
            admin.append(read_file_layer(site_file, "site"))
    except ConfigError as error:
        problems.extend(error.problems)
    policy_layers, policy_problems = policies.read()
    admin.extend(policy_layers)
    problems.extend(policy_problems)
    try:
        if user_file is not None:
            upper.append(read_file_layer(user_file, "user"))
    except ConfigError as error:
        problems.extend(error.problems)
    try:
        if environ is not None:
            upper.append(env_layer(environ))
    except ConfigError as error:
        problems.extend(error.problems)
    if overrides:
        upper.append(overrides_layer(overrides))
    return admin, upper


def load_layers(
    *,
    site_file: Path | None,
    user_file: Path | None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    require_complete: bool = True,
    policies: PolicySet | None = None,
) -> tuple[ViewerConfig | None, LayerData, list[Problem]]:
    """Stack and validate the given layers; return the config (None if invalid), the stacked
    layer (values and origins) and every problem found. With `require_complete=False` (a site
    file on its own), required keys may be missing."""
    problems: list[Problem] = []
    admin, upper = _read_layers(
        site_file=site_file,
        policies=policies or PolicySet(),
        user_file=user_file,
        environ=environ,
        overrides=overrides,
        problems=problems,
    )
    if problems:  # a file could not be read: validating the rest would only add noise
        return None, stack([]), problems
    stacked = stack([*admin, *upper])
    problems.extend(lock_problems(admin, upper))
    files = [layer for layer in (*admin, *upper) if layer.file is not None]
    fallback = Origin(files[-1].layer, files[-1].file) if files else None
    config = _validate(stacked, fallback, problems)
    if not require_complete:
        problems = [p for p in problems if p.code != "missing"]
    return config, stacked, sorted(problems, key=_reading_order)


def load_profile(
    name: str | None = None,
    *,
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    locations: ConfigLocations | None = None,
    use_site_file: bool = True,
) -> Profile:
    """Load the profile called `name` (or the file `config_file`) over the defaults and the
    site file, then apply the `VIEWER_*` environment (`environ`, default `os.environ`) and
    `overrides` (dotted key paths from the command line).

    Raises `ConfigError` listing every problem (each with its key path and origin).
    """
    locations = locations or ConfigLocations.from_platform()
    if config_file is None:
        name = name or DEFAULT_PROFILE
        user_file = locations.profile_file(name)
    else:
        user_file = config_file
        name = name or _profile_name(config_file)
    _check_profile_name(name)
    site_file = locations.site_file if use_site_file and locations.site_file.is_file() else None
    config, stacked, problems = load_layers(
        site_file=site_file,
        user_file=user_file,
        environ=os.environ if environ is None else environ,
        overrides=overrides,
        policies=locations.policies,
    )
    if config_file is None:  # asked for by name: a missing file is a missing profile
        problems = [
            _no_such_profile(name, user_file, locations)
            if p.code == "no_file" and p.origin is not None and p.origin.file == user_file
            else p
            for p in problems
        ]
    if problems or config is None:
        raise ConfigError(problems)
    files = tuple(f for f in (site_file, user_file) if f is not None)
    return Profile(name, config, stacked.origins, files, locations)


def load_site_profile(
    *,
    environ: Mapping[str, str] | None = None,
    locations: ConfigLocations | None = None,
) -> Profile:
    """The site's own configuration (site file and managed policies, with the `VIEWER_*`
    environment) as a profile called `site`, with no user profile; `ConfigError` when it is
    incomplete or wrong."""
    locations = locations or ConfigLocations.from_platform()
    site_file = locations.site_file if locations.site_file.is_file() else None
    config, stacked, problems = load_layers(
        site_file=site_file,
        user_file=None,
        environ=os.environ if environ is None else environ,
        policies=locations.policies,
    )
    if problems or config is None:
        raise ConfigError(problems)
    files = (site_file,) if site_file is not None else ()
    return Profile(SITE_PROFILE, config, stacked.origins, files, locations)
