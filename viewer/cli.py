"""The `viewer` command line: subcommands run, demo, check, sim and config (contract 1 in DESIGN.md).

Each subcommand lives in its own module with `add_arguments(parser)` and `run(args) -> int`;
this module only builds the parser, sets up logging and dispatches. Command modules must be
cheap to import: heavy imports (Qt, aiohttp) happen inside their `run`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from viewer import __version__
from viewer import log as viewer_log


class CommandModule(Protocol):
    """What a subcommand module provides."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, one-line help, longer description and implementing module."""

    name: str
    summary: str
    description: str
    module: str


COMMANDS: tuple[Command, ...] = (
    Command(
        "run",
        "show a sheet from a real Qlik tenant, as configured in a profile",
        "Open the viewer window on the sheet a profile names, authenticate the way the profile "
        "says, watch the engine session and recover from failures.",
        "viewer.commands.run",
    ),
    Command(
        "demo",
        "start the simulated tenant and the viewer against it (no account, no network)",
        "Start a simulated Qlik tenant on loopback and the viewer against it, so the whole loop "
        "(sheet, session watching, dialogs, recovery) can be seen without a Qlik server.",
        "viewer.commands.demo",
    ),
    Command(
        "check",
        "diagnose a profile step by step (DNS, TLS, auth, engine, sheet)",
        "Run every step the viewer needs, in order, and print a table with the result, the time "
        "and a hint for each. Exit 0 only when no step fails.",
        "viewer.commands.check",
    ),
    Command(
        "profile",
        "where a profile keeps its data; sign out or reset it",
        "Show where a profile keeps its stored sign-in, web profile, identity and log; sign out "
        "(end the Qlik session where the sign-in flow can, delete the stored sign-in and the "
        "web profile's cookies) or reset it (sign out and forget the engine-session identity).",
        "viewer.commands.profile",
    ),
    Command(
        "sim",
        "run the simulated Qlik tenant alone",
        "Run the simulated Qlik tenant (Qlik Cloud or client-managed flavour) on loopback. When "
        "ready it prints one JSON line with its URL and the credentials clients can use.",
        "viewer.sim.command",
    ),
    Command(
        "config",
        "validate configuration files and show the effective configuration",
        "Work with viewer configuration files: validate them and report every problem with its "
        "key path.",
        "viewer.config.command",
    ),
)


def _logging_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("logging")
    group.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="stderr log format: human text or one JSON object per line (default: text)",
    )
    group.add_argument(
        "--log-level",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        default="INFO",
        type=str.upper,
        help="lowest level logged (default: INFO)",
    )
    group.add_argument(
        "--log-file",
        metavar="PATH",
        default=None,
        help="rotating JSON log file; 'none' disables it (default: viewer.log in the user log "
        "directory for run and demo, no file for the other commands)",
    )
    return common


def _load(command: Command) -> CommandModule:
    return cast(CommandModule, importlib.import_module(command.module))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, with every subcommand and its options; with `only` (a command's
    name) that command's options alone: argparse parses nothing but the chosen command's, and
    loading the other command modules would cost every start of the viewer their imports."""
    parser = argparse.ArgumentParser(
        prog="viewer",
        description="A desktop viewer for Qlik Sense sheets that hides the sheet the moment its "
        "engine session is gone and recovers on its own.",
    )
    parser.add_argument("--version", action="version", version=f"viewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = _logging_options()
    for command in COMMANDS:
        child = sub.add_parser(
            command.name,
            help=command.summary,
            description=command.description,
            parents=[common],
        )
        if only is None or only == command.name:
            _load(command).add_arguments(child)
        child.set_defaults(_command=command)
    return parser


def _log_file(value: str | None, command: str) -> Path | None:
    if value is not None:
        return None if value.lower() == "none" else Path(value)
    if command in ("run", "demo"):
        return viewer_log.default_log_dir() / "viewer.log"
    return None


def self_command() -> list[str]:
    """How this program starts itself again (e.g. the sim as a child): the frozen app's own
    executable, else this interpreter with `-m viewer`."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "viewer"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `viewer` console script and `python -m viewer`. With no arguments at
    all it is `viewer run` (which chooses the profile to open)."""
    arguments = list(sys.argv[1:] if argv is None else argv) or ["run"]
    named = arguments[0] if arguments[0] in {command.name for command in COMMANDS} else None
    parser = build_parser(named)
    args = parser.parse_args(arguments)
    command = cast(Command, args._command)
    log_file = _log_file(args.log_file, command.name)
    try:
        viewer_log.configure(log_format=args.log_format, level=args.log_level, log_file=log_file)
    except OSError as error:
        print(
            f"viewer {command.name}: cannot write the log file {log_file} "
            f"({error.strerror or error}). Give a writable path with --log-file, or "
            "--log-file none for no log file.",
            file=sys.stderr,
        )
        return 2
    try:
        return _load(command).run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
