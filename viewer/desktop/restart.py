"""Starting this program again in place of this process (os.execv): after the first run's
dialog has written a profile, and to switch the analyst's window to another profile. The qasync
loop runs once per process, so a new window on another profile needs a new process; the caller
has finished its ordered shutdown before `restart`."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import Final

from viewer.log import emit, get_logger

_log = get_logger("app")

# options of the command line a switch keeps (each takes a value): logging and the health port
_KEPT_OPTIONS: Final = ("--log-format", "--log-level", "--log-file", "--health-port")


def restart_command(arguments: Sequence[str]) -> list[str]:
    """The command line that starts this program again with `arguments`."""
    from viewer.cli import self_command

    return [*self_command(), *arguments]


def switched_arguments(arguments: Sequence[str], profile: str) -> list[str]:
    """`viewer run --profile PROFILE` with the logging and health-port options of `arguments`
    (this run's command line); the profile, file and tabs of this run are left behind."""
    kept: list[str] = []
    items = list(arguments)
    for index, item in enumerate(items):
        name = item.split("=", 1)[0]
        if name not in _KEPT_OPTIONS:
            continue
        if "=" in item:
            kept.append(item)
        elif index + 1 < len(items):
            kept += [item, items[index + 1]]
    return ["run", "--profile", profile, *kept]


def restart(arguments: Sequence[str]) -> None:
    """Replace this process by the program started with `arguments` (logs flushed first)."""
    command = restart_command(arguments)
    emit(_log, "app.restart", arguments=list(arguments))
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)  # noqa: S606 (this program, replacing itself)
