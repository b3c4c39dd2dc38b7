"""Shared behaviour of a subcommand whose issue has not landed yet: a clear refusal, never a fake success."""

from __future__ import annotations

import sys

EXIT_UNAVAILABLE = 3


def refuse(command: str, issue: int) -> int:
    """Say in one line that `command` is not available yet and return the exit code for that."""
    print(f"viewer {command}: not available yet (tracked in issue #{issue})", file=sys.stderr)
    return EXIT_UNAVAILABLE
