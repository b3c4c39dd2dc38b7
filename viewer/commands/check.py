"""`viewer check`: step-by-step diagnosis of a profile against its tenant (config → name → TCP →
TLS → stored session → auth → csrf → engine socket → OpenDoc → sheet → `/single/`), as a table or
JSON. Exit 0 only when no step fails (a step that does not apply to the profile is skipped)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", type=Path, metavar="FILE", help="a profile file (TOML)")
    source.add_argument("--profile", metavar="NAME", help="a profile from the user config dir")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args: argparse.Namespace) -> int:
    import asyncio

    from viewer.commands.check_steps import StepResult, as_json, render_table, run_checks
    from viewer.config.errors import ConfigError
    from viewer.config.loading import load_profile

    started = time.monotonic()
    try:
        profile = load_profile(args.profile, config_file=args.config)
    except ConfigError as error:
        config_step = StepResult(
            "config valid", "fail", time.monotonic() - started, str(error),
            "Fix the keys listed above (see `viewer config validate`).",
        )  # fmt: skip
        results = [config_step]
    else:
        config_step = StepResult("config valid", "pass", time.monotonic() - started, profile.name)
        results = [config_step, *asyncio.run(run_checks(profile))]
    if args.json:
        print(json.dumps(as_json(results), indent=2))
    else:
        print(render_table(results))
    return 1 if any(r.outcome == "fail" for r in results) else 0
