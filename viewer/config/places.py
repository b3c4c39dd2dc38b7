"""Where a profile keeps what it learns on this machine: the stored sign-in (grant), the web
view's profile (cookies, cache), the engine-session identity, and the log file. One place that
names them, for `viewer profile` and the docs (the application builds the same paths)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from viewer.auth.store import default_grant_path
from viewer.config.identity import identity_file
from viewer.config.loading import Profile


def web_profile_dir(state_dir: Path, profile_name: str) -> Path:
    """The persistent web profile of `profile_name` (QtWebEngine's cookies and cache)."""
    return state_dir / "web" / profile_name


@dataclass(frozen=True)
class ProfilePlaces:
    """The files and directories of one profile on this machine."""

    config_files: tuple[Path, ...]
    grant: Path
    web_profile: Path
    identity: Path
    log_file: Path

    @classmethod
    def of(cls, profile: Profile) -> ProfilePlaces:
        from viewer.log import default_log_dir

        state = profile.locations.state_dir
        return cls(
            config_files=tuple(profile.files),
            grant=default_grant_path(state, profile.name),
            web_profile=web_profile_dir(state, profile.name),
            identity=identity_file(state, profile.name),
            log_file=default_log_dir() / "viewer.log",
        )

    def rows(self) -> list[tuple[str, Path]]:
        """(what, where) for display."""
        return [
            *(("configuration", path) for path in self.config_files),
            ("stored sign-in (grant)", self.grant),
            ("web profile (cookies, cache)", self.web_profile),
            ("engine-session identity", self.identity),
            ("log file", self.log_file),
        ]
