"""`viewer run`: the viewer window against a real tenant, from a profile or a config file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viewer.sheet.target import SheetTarget


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", type=Path, metavar="FILE", help="a profile file (TOML)")
    source.add_argument("--profile", metavar="NAME", help="a profile from the user config dir")
    parser.add_argument("--kiosk", action="store_true", help="fullscreen, unattended wall display")
    parser.add_argument("--health-port", type=int, metavar="N", help="serve /healthz and /metrics")
    add_open_argument(parser)


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


def run(args: argparse.Namespace) -> int:
    from viewer.app import AppOptions, run_app
    from viewer.config.errors import ConfigError
    from viewer.config.loading import load_profile

    try:
        profile = load_profile(args.profile, config_file=args.config)
    except ConfigError as error:
        print(f"viewer run: the configuration has problems:\n{error}", file=sys.stderr)
        return 2
    if args.kiosk and profile.config.tenant.app_id is None:
        print("viewer run: --kiosk shows one app's sheet: set tenant.app_id", file=sys.stderr)
        return 2
    options = AppOptions(kiosk=args.kiosk, health_port=args.health_port, open=tuple(args.open))
    return run_app(profile, options)
