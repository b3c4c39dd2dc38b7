"""`viewer check`: step-by-step diagnosis of a profile against its tenant (config → name → TCP →
TLS → stored session → auth → csrf → engine socket → OpenDoc → sheet → `/single/`), as a table or
JSON. Exit 0 only when no step fails (a step that does not apply to the profile is skipped)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.commands import PROFILE_HELP

if TYPE_CHECKING:
    from viewer.commands.check_steps import StepResult
    from viewer.config.loading import Profile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", type=Path, metavar="FILE", help="a profile file (TOML)")
    source.add_argument("--profile", metavar="NAME", help=PROFILE_HELP)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def _config_step(args: argparse.Namespace) -> tuple[StepResult, Profile | None]:
    """The first row: the profile loads, its state folder can be written and its secrets can be
    read (as `run` needs them)."""
    from viewer.commands.check_steps import StepResult
    from viewer.commands.preflight import profile_problem
    from viewer.config.errors import ConfigError
    from viewer.config.loading import load_profile

    started = time.monotonic()
    try:
        profile = load_profile(args.profile, config_file=args.config)
    except ConfigError as error:
        return StepResult(
            "config valid", "fail", time.monotonic() - started, str(error),
            "Fix what is listed above (`viewer config validate FILE` lists every problem).",
        ), None  # fmt: skip
    problem = profile_problem(profile)
    if problem is not None:
        return StepResult("config valid", "fail", time.monotonic() - started, problem), None
    read = " + ".join(str(file) for file in profile.files) or "the site's policies"
    detail = f"profile {profile.name} from {read}"
    return StepResult("config valid", "pass", time.monotonic() - started, detail), profile


def run(args: argparse.Namespace) -> int:
    import asyncio

    from viewer.commands.check_steps import as_json, render_table, run_checks

    config_step, profile = _config_step(args)
    results = [config_step]
    if profile is not None:
        results.extend(asyncio.run(run_checks(profile)))
    if args.json:
        print(json.dumps(as_json(results), indent=2))
    else:
        print(render_table(results))
    return 1 if any(r.outcome == "fail" for r in results) else 0
