"""Which profile `viewer` (or `viewer run`) opens when no profile is named: the site's own
configuration when it is complete (site file and managed policies), else the user's profile
last started, else the user's `default` profile; when none fits, the reason says exactly what
is missing. `choose_start_profile` is the one decision; a first-run dialog can take over where
it returns `NothingToStart`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from viewer.config.errors import ConfigError
from viewer.config.loading import (
    DEFAULT_PROFILE,
    ConfigLocations,
    Profile,
    load_profile,
    load_site_profile,
)

LAST_PROFILE_FILE: Final = "last-profile"

StartSource = Literal["site", "last", "default"]


@dataclass(frozen=True)
class StartProfile:
    """The profile to open and why this one."""

    profile: Profile
    source: StartSource


@dataclass(frozen=True)
class NothingToStart:
    """No profile can be opened: `reason` says what is missing, in words for the user."""

    reason: str


def _last_profile_path(locations: ConfigLocations) -> Path:
    return locations.state_dir / LAST_PROFILE_FILE


def remember_last_profile(locations: ConfigLocations, name: str) -> None:
    """Record `name` as the profile last started (what a bare `viewer` opens next time)."""
    path = _last_profile_path(locations)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(name + "\n", encoding="utf-8")
    temporary.replace(path)


def last_profile(locations: ConfigLocations) -> str | None:
    """The profile last started, if its file still exists."""
    try:
        name = _last_profile_path(locations).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if name and locations.profile_file(name).is_file() else None


def _site_status(locations: ConfigLocations, environ: Mapping[str, str]) -> Profile | str:
    """The site's profile, or why it cannot run on its own."""
    try:
        return load_site_profile(environ=environ, locations=locations)
    except ConfigError as error:
        has_site = locations.site_file.is_file()
        missing = [p.key_path for p in error.problems if p.code == "missing"]
        if not has_site and len(missing) == len(error.problems):
            return f"there is no site file ({locations.site_file}) and no managed policy"
        if missing and len(missing) == len(error.problems):
            return f"the site configuration ({locations.site_file}) lacks {', '.join(missing)}"
        return f"the site configuration has problems:\n{error.render()}"


def choose_start_profile(
    locations: ConfigLocations | None = None, environ: Mapping[str, str] | None = None
) -> StartProfile | NothingToStart:
    """The profile to open when none is named: the site's when it names an app, else the
    user's last or default profile, else the site's without an app (its hub opens). A user
    profile that exists but is invalid raises `ConfigError` (its problems are what the user
    must fix)."""
    locations = locations or ConfigLocations.from_platform()
    environ = os.environ if environ is None else environ
    site = _site_status(locations, environ)
    if isinstance(site, Profile) and site.config.tenant.app_id is not None:
        return StartProfile(site, "site")
    last = last_profile(locations)
    if last is not None:
        return StartProfile(load_profile(last, environ=environ, locations=locations), "last")
    if locations.profile_file(DEFAULT_PROFILE).is_file():
        profile = load_profile(DEFAULT_PROFILE, environ=environ, locations=locations)
        return StartProfile(profile, "default")
    if isinstance(site, Profile):  # the site names its tenant but no app: the hub opens
        return StartProfile(site, "site")
    return NothingToStart(
        f"Nothing to open: {site}; and there is no user profile "
        f"({locations.profile_file(DEFAULT_PROFILE)}). Create that profile (see `viewer config "
        "docs`), or name one with --profile NAME or --config FILE."
    )
