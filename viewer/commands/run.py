"""`viewer run`: the viewer window against a real tenant, from a profile or a config file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", type=Path, metavar="FILE", help="a profile file (TOML)")
    source.add_argument("--profile", metavar="NAME", help="a profile from the user config dir")
    parser.add_argument("--kiosk", action="store_true", help="fullscreen, unattended wall display")
    parser.add_argument("--health-port", type=int, metavar="N", help="serve /healthz and /metrics")


def run(args: argparse.Namespace) -> int:
    from viewer.app import AppOptions, run_app
    from viewer.config.errors import ConfigError
    from viewer.config.loading import load_profile

    try:
        profile = load_profile(args.profile, config_file=args.config)
    except ConfigError as error:
        print(f"viewer run: the configuration has problems:\n{error}", file=sys.stderr)
        return 2
    return run_app(profile, AppOptions(kiosk=args.kiosk, health_port=args.health_port))
