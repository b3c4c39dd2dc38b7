"""`viewer check`: step-by-step diagnosis of a profile against its tenant."""

from __future__ import annotations

import argparse

from viewer.commands.unavailable import refuse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", metavar="FILE", help="a profile file (TOML)")
    source.add_argument("--profile", metavar="NAME", help="a profile from the user config dir")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args: argparse.Namespace) -> int:
    return refuse("check", 5)
