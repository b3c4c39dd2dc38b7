"""`viewer run`: the viewer window against a real tenant, from a profile or a config file; with
neither, the profile `viewer.config.start` chooses (the site's, else the user's last or default).

Before Qt starts, every fault a user can cause is reported as one sentence (exit 2): a broken
configuration, a secret that cannot be read, the sandbox as root, a flag that switches certificate
checks off, a health port in use."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer.commands import PROFILE_HELP
from viewer.commands.preflight import health_port, positive_seconds
from viewer.sheet.target import SheetTarget

if TYPE_CHECKING:
    from viewer.app import AppOptions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--config", type=Path, metavar="FILE", help="a profile file (TOML)")
    source.add_argument(
        "--profile",
        metavar="NAME",
        help=f"{PROFILE_HELP} (default: the site's configuration when it is complete, else the "
        "profile last started, else 'default')",
    )
    add_window_arguments(parser)


def add_window_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of every command that opens the viewer's window (`run`, `demo`)."""
    parser.add_argument("--kiosk", action="store_true", help="fullscreen, unattended wall display")
    parser.add_argument(
        "--health-port",
        type=health_port,
        metavar="N",
        help="serve /healthz and /metrics on port N (of 127.0.0.1 unless monitor.address "
        "names another address; 0 picks a free port)",
    )
    parser.add_argument(
        "--quit-after", type=positive_seconds, metavar="SECONDS", help="exit after this long"
    )
    parser.add_argument(
        "--screenshot", type=Path, metavar="PATH",
        help="on exit, save a picture of the window with any dialog over it (PNG, unless PATH "
        "ends in another image format such as .jpg)",
    )  # fmt: skip
    add_open_argument(parser)


def window_options(args: argparse.Namespace, **more: Any) -> AppOptions:
    """The window's options from `add_window_arguments`' flags (and `more` of the command's)."""
    from viewer.app import AppOptions

    return AppOptions(
        kiosk=args.kiosk,
        health_port=args.health_port,
        quit_after=args.quit_after,
        screenshot=args.screenshot,
        open=tuple(args.open),
        **more,
    )


def _fail(message: str) -> int:
    print(f"viewer run: {message}", file=sys.stderr)
    return 2


def open_target(value: str) -> SheetTarget:
    """`--open`'s value as a sheet target; a malformed one is a usage error that says why."""
    try:
        return SheetTarget.parse(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_open_argument(parser: argparse.ArgumentParser) -> None:
    """`--open APP_ID[/SHEET_ID]`, repeatable: tabs to open (analyst window)."""
    parser.add_argument(
        "--open",
        type=open_target,
        action="append",
        default=[],
        metavar="APP_ID[/SHEET_ID]",
        help="open this app's sheet (default: its first) in a tab; repeat for more tabs",
    )


def _first_run(reason: str) -> int:
    """Nothing to open: on a display, the "Connect to Qlik" dialog writes the `default`
    profile and the program starts again with the same arguments (it then opens that profile);
    without one, or when the user cancels, the reason (exit 2)."""
    from viewer.commands.first_run import ask_for_profile, has_display
    from viewer.config.loading import ConfigLocations
    from viewer.desktop.restart import restart

    if not has_display(os.environ):
        print(f"viewer run: {reason}", file=sys.stderr)
        return 2
    if ask_for_profile(ConfigLocations.from_platform()) is None:
        print(f"viewer run: no Qlik tenant connected. {reason}", file=sys.stderr)
        return 2
    restart(sys.argv[1:])
    return 0  # not reached: the process is replaced


def run(args: argparse.Namespace) -> int:
    from viewer.app import run_app
    from viewer.commands.preflight import current_euid, preflight, profile_problem
    from viewer.config.errors import ConfigError
    from viewer.config.loading import load_profile
    from viewer.config.start import NothingToStart, choose_start_profile, remember_last_profile
    from viewer.log import emit, get_logger

    try:
        if args.profile is None and args.config is None:
            choice = choose_start_profile()
            if isinstance(choice, NothingToStart):
                return _first_run(choice.reason)
            profile = choice.profile
            emit(
                get_logger("config"),
                "config.start_profile",
                profile=profile.name,
                source=choice.source,
            )
        else:
            profile = load_profile(args.profile, config_file=args.config)
    except ConfigError as error:
        print(f"viewer run: the configuration has problems:\n{error}", file=sys.stderr)
        return 2
    problem = preflight(current_euid(), os.environ, args.health_port, args.screenshot)
    if problem is not None:
        return _fail(problem)
    problem = profile_problem(profile)  # a state folder or a secret: named here, not later
    if problem is not None:
        return _fail(problem)
    bundle = profile.config.network.ca_bundle
    if bundle is not None:  # else the view trusts the system's CAs (the default)
        from viewer.web import trust

        try:
            trust.read_ca_bundle(bundle)
        except trust.TrustFilesError as error:
            return _fail(str(error))
        trust.configure(bundle)
    if args.kiosk and profile.config.tenant.app_id is None:
        return _fail("--kiosk shows one app's sheet: set tenant.app_id")
    options = window_options(args)
    if args.profile is not None:
        remember_last_profile(profile.locations, profile.name)
    return run_app(profile, options)
