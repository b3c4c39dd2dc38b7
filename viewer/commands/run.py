"""`viewer run`: the viewer window against a real tenant, from a profile or config file."""

from __future__ import annotations

import argparse

from viewer.commands.unavailable import refuse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", metavar="FILE", help="a profile file (TOML)")
    source.add_argument("--profile", metavar="NAME", help="a profile from the user config dir")
    parser.add_argument("--kiosk", action="store_true", help="fullscreen, unattended wall display")
    parser.add_argument("--health-port", type=int, metavar="N", help="serve /healthz and /metrics")


def run(args: argparse.Namespace) -> int:
    return refuse("run", 6)
