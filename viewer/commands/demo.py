"""`viewer demo`: the simulated tenant plus the viewer against it, for a first look."""

from __future__ import annotations

import argparse

from viewer.commands.unavailable import refuse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kiosk", action="store_true", help="fullscreen, unattended wall display")
    parser.add_argument("--flavor", choices=("cloud", "qseow"), default="cloud")
    parser.add_argument(
        "--auth", metavar="MODE", help="auth mode (default: cloud-jwt / qseow-ticket)"
    )
    parser.add_argument("--quit-after", type=float, metavar="SECONDS", help="exit after this long")
    parser.add_argument("--screenshot", metavar="PATH", help="save a screenshot before quitting")
    parser.add_argument("--health-port", type=int, metavar="N", help="serve /healthz and /metrics")


def run(args: argparse.Namespace) -> int:
    return refuse("demo", 6)
