"""Chromium switches that weaken the view's security, refused before QtWebEngine starts.

`QTWEBENGINE_CHROMIUM_FLAGS` (and `QTWEBENGINE_REMOTE_DEBUGGING`) reach Chromium from the
environment, so a wrapper script or a stale shell setting could quietly turn off certificate
checks or the same-origin policy, or open a debugging port that lets anyone on the machine
drive the signed-in page. `guard_environment` removes such switches and logs each one at error
level (`web.chromium_flag_refused`). Switches that turn Chromium's sandbox off are accepted only
for root, where Chromium cannot start with it (tests and CI), and then logged as a warning.
"""

from __future__ import annotations

import functools
import logging
import os
import shlex
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Final

from viewer.log import emit, get_logger

_log = get_logger("web")

FLAGS_VARIABLE: Final = "QTWEBENGINE_CHROMIUM_FLAGS"
DEBUGGING_VARIABLE: Final = "QTWEBENGINE_REMOTE_DEBUGGING"
SANDBOX_VARIABLE: Final = "QTWEBENGINE_DISABLE_SANDBOX"

_REFUSED: Final = {
    "--ignore-certificate-errors": "accepts any TLS certificate (anyone on the network can pose "
    "as the tenant)",
    "--ignore-certificate-errors-spki-list": "accepts the listed certificates whoever signed them",
    "--ignore-urlfetcher-cert-requests": "skips certificate checks",
    "--ignore-ssl-errors": "accepts any TLS certificate",
    "--allow-insecure-localhost": "accepts any certificate on localhost",
    "--disable-web-security": "turns off the same-origin policy",
    "--allow-running-insecure-content": "lets plain-http scripts into https pages",
    "--unsafely-treat-insecure-origin-as-secure": "treats plain-http origins as secure",
    "--allow-file-access-from-files": "lets pages read local files",
    "--disable-site-isolation-trials": "puts pages of different sites in one process",
    "--reduce-security-for-testing": "weakens security for tests",
    "--remote-debugging-port": "opens a port that drives the signed-in page",
    "--remote-debugging-pipe": "opens a channel that drives the signed-in page",
    "--remote-debugging-address": "opens a port that drives the signed-in page",
    "--remote-allow-origins": "lets web pages drive the debugging port",
    "--user-data-dir": "moves the profile (cookies) outside the viewer's state directory",
}
_SANDBOX: Final = frozenset(
    {"--no-sandbox", "--disable-gpu-sandbox", "--disable-setuid-sandbox", "--no-zygote",
     "--disable-namespace-sandbox", "--single-process"}
)  # fmt: skip


@dataclass(frozen=True)
class Refusal:
    """One switch (or variable) that was refused, or accepted with a warning (`kept`)."""

    switch: str
    why: str
    kept: bool = False


def screen_flags(flags: str, *, root: bool) -> tuple[str, list[Refusal]]:
    """The flags with the weakening switches taken out, and what was done about each."""
    try:
        tokens = shlex.split(flags)
    except ValueError:
        tokens = flags.split()
    kept: list[str] = []
    found: list[Refusal] = []
    for token in tokens:
        switch = token.split("=", 1)[0].lower()
        if switch in _REFUSED:
            found.append(Refusal(switch, _REFUSED[switch]))
        elif switch in _SANDBOX:
            found.append(Refusal(switch, "turns Chromium's sandbox off", kept=root))
            if root:
                kept.append(token)
        else:
            kept.append(token)
    return " ".join(shlex.quote(token) for token in kept), found


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def guard_environment(
    environ: MutableMapping[str, str] | None = None, *, root: bool | None = None
) -> list[Refusal]:
    """Remove weakening switches from `environ` (default `os.environ`) before QtWebEngine
    starts, logging each; return what was found."""
    environ = os.environ if environ is None else environ
    root = _is_root() if root is None else root
    found: list[Refusal] = []
    flags = environ.get(FLAGS_VARIABLE)
    if flags:
        cleaned, found = screen_flags(flags, root=root)
        environ[FLAGS_VARIABLE] = cleaned
    if environ.get(DEBUGGING_VARIABLE):
        del environ[DEBUGGING_VARIABLE]
        found.append(Refusal(DEBUGGING_VARIABLE, "opens a port that drives the signed-in page"))
    if environ.get(SANDBOX_VARIABLE) not in (None, "", "0"):
        if not root:
            del environ[SANDBOX_VARIABLE]
        found.append(Refusal(SANDBOX_VARIABLE, "turns Chromium's sandbox off", kept=root))
    for refusal in found:
        if refusal.kept:
            emit(_log, "web.chromium_flag_accepted", level=logging.WARNING, switch=refusal.switch,
                 why=refusal.why, hint="accepted only because the viewer runs as root")  # fmt: skip
        else:
            emit(_log, "web.chromium_flag_refused", level=logging.ERROR, switch=refusal.switch,
                 why=refusal.why, hint=f"remove it from {FLAGS_VARIABLE} / the environment")  # fmt: skip
    return found


@functools.cache
def guard_once() -> tuple[Refusal, ...]:
    """`guard_environment()` on `os.environ`, the first time it is asked for in the process."""
    return tuple(guard_environment())


_CERTIFICATE_SWITCHES: Final = frozenset(
    {"--ignore-certificate-errors", "--ignore-certificate-errors-spki-list",
     "--ignore-urlfetcher-cert-requests", "--ignore-ssl-errors", "--allow-insecure-localhost"}
)  # fmt: skip


def certificate_check_flags(flags: str) -> list[str]:
    """The switches in `flags` (a QTWEBENGINE_CHROMIUM_FLAGS value) that turn Chromium's
    certificate checks off, as given: `viewer run` refuses to start with any of them."""
    try:
        tokens = shlex.split(flags)
    except ValueError:  # an unbalanced quote: still look at every word
        tokens = flags.split()
    return [token for token in tokens if token.split("=", 1)[0].lower() in _CERTIFICATE_SWITCHES]
