"""`viewer run`: the viewer window against a real tenant, from a profile or a config file; with
neither, the profile `viewer.config.start` chooses (the site's, else the user's last or default)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--config", type=Path, metavar="FILE", help="a profile file (TOML)")
    source.add_argument(
        "--profile",
        metavar="NAME",
        help="a profile from the user config dir (default: the site's configuration when it is "
        "complete, else the profile last started, else 'default')",
    )
    parser.add_argument("--kiosk", action="store_true", help="fullscreen, unattended wall display")
    parser.add_argument("--health-port", type=int, metavar="N", help="serve /healthz and /metrics")


def run(args: argparse.Namespace) -> int:
    from viewer.app import AppOptions, run_app
    from viewer.config.errors import ConfigError
    from viewer.config.loading import load_profile
    from viewer.config.start import NothingToStart, choose_start_profile, remember_last_profile
    from viewer.log import emit, get_logger

    try:
        if args.profile is None and args.config is None:
            choice = choose_start_profile()
            if isinstance(choice, NothingToStart):
                print(f"viewer run: {choice.reason}", file=sys.stderr)
                return 2
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
    if args.profile is not None:
        remember_last_profile(profile.locations, profile.name)
    return run_app(profile, AppOptions(kiosk=args.kiosk, health_port=args.health_port))
