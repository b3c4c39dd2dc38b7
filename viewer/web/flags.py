"""Chromium command-line flags (QTWEBENGINE_CHROMIUM_FLAGS) that weaken what the viewer promises:
certificate checks, the same-origin policy, mixed content, the sandbox. One pure list, used by
every place that refuses or warns about them."""

from __future__ import annotations

import shlex
from typing import Final

# flag name (without a value) -> what it turns off, as said to a user
WEAKENING: Final[dict[str, str]] = {
    "--ignore-certificate-errors": "certificate checks",
    "--ignore-certificate-errors-spki-list": "certificate checks",
    "--ignore-ssl-errors": "certificate checks",
    "--allow-insecure-localhost": "certificate checks",
    "--disable-web-security": "the same-origin policy",
    "--allow-running-insecure-content": "the block on mixed content",
    "--disable-site-isolation-trials": "site isolation",
    "--no-sandbox": "the renderer sandbox",
}
CERTIFICATE_CHECKS: Final = "certificate checks"


def _name(flag: str) -> str:
    return flag.split("=", 1)[0].lower()


def _split(flags: str) -> list[str]:
    try:
        return shlex.split(flags)
    except ValueError:  # an unbalanced quote: still look at every word
        return flags.split()


def weakening_flags(flags: str) -> list[str]:
    """The flags in `flags` (a QTWEBENGINE_CHROMIUM_FLAGS value) that weaken security, as given."""
    return [flag for flag in _split(flags) if _name(flag) in WEAKENING]


def what_it_weakens(flag: str) -> str:
    """What a flag from `weakening_flags` turns off."""
    return WEAKENING[_name(flag)]


def certificate_check_flags(flags: str) -> list[str]:
    """The flags in `flags` that turn Chromium's certificate checks off."""
    return [flag for flag in weakening_flags(flags) if what_it_weakens(flag) == CERTIFICATE_CHECKS]
