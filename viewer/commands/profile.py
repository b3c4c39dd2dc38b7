"""`viewer profile`: what a profile keeps on this machine, and how to sign out or start afresh —
`paths` lists where the stored sign-in, the web profile, the identity and the log live;
`signout` ends the Qlik session where the sign-in flow can and deletes the stored sign-in and
the web profile's cookies; `reset` also forgets the engine-session identity. Run them while
no viewer uses the profile."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.commands import PROFILE_HELP

if TYPE_CHECKING:
    from viewer.config.loading import Profile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    actions = {
        "paths": "show where the profile's stored sign-in, web profile, identity and log live",
        "signout": "end the Qlik session where the flow can, delete the stored sign-in and the "
        "web profile's cookies",
        "reset": "sign out and forget the engine-session identity too (a fresh start)",
    }
    for name, summary in actions.items():
        action = sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:])
        source = action.add_mutually_exclusive_group(required=True)
        source.add_argument("--config", type=Path, metavar="FILE", help="a profile file (TOML)")
        source.add_argument("--profile", metavar="NAME", help=PROFILE_HELP)


def run(args: argparse.Namespace) -> int:
    from viewer.config.errors import ConfigError
    from viewer.config.loading import load_profile
    from viewer.config.places import ProfilePlaces

    try:
        profile = load_profile(args.profile, config_file=args.config)
    except ConfigError as error:
        print(f"viewer profile: the configuration has problems:\n{error}", file=sys.stderr)
        return 2
    places = ProfilePlaces.of(profile)
    if args.profile_command == "paths":
        print(f"profile {profile.name}")
        for what, where in places.rows():
            state = "" if where.exists() else "  (not there yet)"
            print(f"  {what + ':':32} {where}{state}")
        return 0
    print(f"profile {profile.name}")
    print(f"  {asyncio.run(_end_server_session(profile))}")
    removed = [("stored sign-in", places.grant), ("web profile (cookies, cache)",
                                                   places.web_profile)]  # fmt: skip
    if args.profile_command == "reset":
        removed.append(("engine-session identity", places.identity))
    outcomes = [remove_kept(what, where) for what, where in removed]
    for line, _ in outcomes:
        print(f"  {line}")
    return 0 if all(ok for _, ok in outcomes) else 1


def remove_kept(what: str, path: Path) -> tuple[str, bool]:
    """Delete what a profile keeps at `path` (a file or a folder): a line that says what
    happened, and whether it is gone (a folder that cannot be written is said, not raised)."""
    try:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            return f"no {what} to remove: {path}", True
    except OSError as error:
        return (
            f"could not remove the {what} ({error.strerror or error}): {path} — make the "
            "folder writable for this user, or delete it by hand"
        ), False
    return f"removed the {what}: {path}", True


async def _end_server_session(profile: Profile) -> str:
    """End the server-side session of the stored grant where the flow has a sign-out call."""
    from viewer.auth.base import AuthStrategy
    from viewer.auth.errors import AuthError
    from viewer.auth.factory import strategy_for
    from viewer.auth.session import AuthSession
    from viewer.auth.store import GrantStore, default_grant_path

    path = default_grant_path(profile.locations.state_dir, profile.name)
    if not path.exists():
        return "no stored sign-in: no session to end on the server"
    try:
        strategy = strategy_for(profile.config, profile.identity())
        session = AuthSession(strategy, GrantStore(path))
        ends_on_server = type(strategy).sign_out is not AuthStrategy.sign_out
        await session.sign_out()
    except (AuthError, OSError) as error:
        return f"could not end the session on the server ({error}); it ends when it expires"
    if not ends_on_server:
        return (f"{profile.config.auth.mode} has no sign-out call: the server's session ends "
                "when it expires")  # fmt: skip
    return "ended the session on the server"
