"""`viewer config`: validate configuration files, show the effective configuration, write a site
file from installer values, and generate the option reference (docs/configuration.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from viewer.commands import PROFILE_HELP

EXIT_OK = 0
EXIT_INVALID = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)

    validate = sub.add_parser(
        "validate",
        help="report every problem in a config file",
        description="Validate FILE as a profile on top of the built-in defaults, the site "
        "file and the machine's managed policies, and print every problem with its file, line, key path, value (secrets masked) "
        "and a hint. Exit 0 when valid, 1 otherwise. The VIEWER_* environment is not applied.",
    )
    validate.add_argument("file", metavar="FILE", type=Path, help="TOML file to check")
    site = validate.add_mutually_exclusive_group()
    site.add_argument(
        "--site", metavar="PATH", type=Path, help="site file to layer under FILE (default: "
        "the installed site file, if any)"
    )  # fmt: skip
    site.add_argument(
        "--no-site", action="store_true", help="ignore any site file and managed policies"
    )
    site.add_argument(
        "--as-site",
        action="store_true",
        help="FILE is a site file: locks are allowed and required keys may be missing",
    )

    show = sub.add_parser(
        "show",
        help="print the effective configuration and where each value comes from",
        description="Load a profile with every layer (defaults, site file, profile, VIEWER_* "
        "environment, --set overrides) and print each value with its origin.",
    )
    source = show.add_mutually_exclusive_group()
    source.add_argument("--config", metavar="FILE", type=Path, help="profile file")
    source.add_argument("--profile", metavar="NAME", help=f"{PROFILE_HELP} (default: 'default')")
    show.add_argument(
        "--set",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="override a key, e.g. --set kiosk.enabled=true (repeatable; lists as JSON)",
    )

    site_file = sub.add_parser(
        "site-file",
        help="write a site file from KEY=VALUE settings (for installers)",
        description="Write a site file from key paths and values, as an installer does with the "
        "values an administrator passed to it. Each key is checked against the models and the "
        "file is validated as a site file; nothing is written when there is a problem.",
    )
    site_file.add_argument(
        "--set", metavar="KEY=VALUE", action="append", default=[],
        help="a key and its value, e.g. --set tenant.base_url=https://… (repeatable; an "
        "empty value is left out; lists as JSON)",
    )  # fmt: skip
    site_file.add_argument(
        "--lock",
        metavar="KEY[,KEY…]",
        action="append",
        default=[],
        help="lock keys (repeatable, or comma-separated; empty is nothing)",
    )
    site_file.add_argument(
        "--output", metavar="PATH", type=Path, help="write here instead of standard output"
    )

    docs = sub.add_parser(
        "docs",
        help="write the reference of every option (Markdown)",
        description="Generate the configuration reference from the models.",
    )
    docs.add_argument(
        "--output", metavar="PATH", type=Path, help="write here instead of standard output"
    )


def _validate(args: argparse.Namespace) -> int:
    from viewer.config.loading import ConfigLocations, load_layers

    site_file: Path | None = args.site
    installed = ConfigLocations.from_platform()
    if site_file is None and not (args.no_site or args.as_site):
        site_file = installed.site_file if installed.site_file.is_file() else None
    if args.as_site:
        config, _, problems = load_layers(
            site_file=args.file, user_file=None, require_complete=False
        )
    else:  # the machine's managed policies apply unless --no-site or --site PATH is given
        policies = None if (args.no_site or args.site is not None) else installed.policies
        config, _, problems = load_layers(
            site_file=site_file, user_file=args.file, policies=policies
        )
    if problems:
        for problem in problems:
            print(problem.render())
        count = len(problems)
        print(f"{args.file}: {count} problem{'s' if count != 1 else ''}")
        return EXIT_INVALID
    summary = ""
    if config is not None:
        summary = (
            f" ({config.tenant.kind} tenant {config.tenant.base_url}, auth {config.auth.mode})"
        )
    print(f"{args.file}: OK{summary}")
    return EXIT_OK


def _parse_overrides(pairs: list[str], command: str) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise SystemExit(
                f"viewer config {command}: --set needs KEY=VALUE (e.g. --set kiosk.enabled=true), "
                f"got {pair!r}."
            )
        overrides[key.strip()] = value
    return overrides


def _override_values(pairs: list[str]) -> dict[str, Any]:
    """`--set KEY=VALUE` of `config show` as values: lists and tables as JSON, as in the
    environment and `site-file --set`."""
    from dataclasses import replace

    from viewer.config.errors import ConfigError, Origin
    from viewer.config.layers import env_value

    values = {}
    for key, text in _parse_overrides(pairs, "show").items():
        try:
            values[key] = env_value(key, text)
        except ConfigError as error:
            origin = Origin("cli", name=key)
            raise ConfigError([replace(p, origin=origin) for p in error.problems]) from None
    return values


def _show(args: argparse.Namespace) -> int:
    from viewer.config.errors import ConfigError
    from viewer.config.loading import load_profile
    from viewer.config.render import effective_lines

    try:
        profile = load_profile(
            args.profile, config_file=args.config, overrides=_override_values(args.set)
        )
    except ConfigError as error:
        print(error.render(), file=sys.stderr)
        return EXIT_INVALID
    for line in effective_lines(profile):
        print(line)
    return EXIT_OK


def _site_file(args: argparse.Namespace) -> int:
    from viewer.config.errors import ConfigError
    from viewer.deploy.site_file import site_file_text

    try:
        locks = [key.strip() for item in args.lock for key in item.split(",") if key.strip()]
        text = site_file_text(_parse_overrides(args.set, "site-file"), locks)
    except ConfigError as error:
        print(error.render(), file=sys.stderr)
        return EXIT_INVALID
    return _write_output(text, args.output, "site-file")


def _write_output(text: str, output: Path | None, command: str) -> int:
    """`text` to standard output, or to `output`; a path that cannot be written is a sentence
    that names it and the reason, never a traceback."""
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        print(
            f"viewer config {command}: cannot write {output} ({error.strerror or error}). "
            "Give a writable file path with --output, or leave it out to print to standard "
            "output.",
            file=sys.stderr,
        )
        return EXIT_INVALID
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    from viewer.config.docs import render_reference

    return _write_output(render_reference(), args.output, "docs")


def run(args: argparse.Namespace) -> int:
    actions = {"validate": _validate, "show": _show, "site-file": _site_file, "docs": _docs}
    return actions[args.config_command](args)
