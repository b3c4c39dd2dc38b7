"""What `viewer run` and `viewer demo` check before Qt starts, so a fault a user can cause is one
sentence with the next step, never a traceback or a browser engine's own message: the Chromium
sandbox when running as root, flags that switch certificate checks off, the health port, and the
profile's secrets, the screenshot's folder. Each check is a function returning the problem as a sentence, or None."""

from __future__ import annotations

import argparse
import errno
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.web.flags import certificate_check_flags

if TYPE_CHECKING:
    from viewer.config.loading import Profile

SANDBOX_VARIABLE = "QTWEBENGINE_DISABLE_SANDBOX"
FLAGS_VARIABLE = "QTWEBENGINE_CHROMIUM_FLAGS"


def health_port(text: str) -> int:
    """argparse type of `--health-port`: a TCP port, 0 for a free one."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"{value} is not a TCP port: give a number from 1 to 65535 (0 picks a free one)"
        )
    return value


def positive_seconds(text: str) -> float:
    """argparse type of a duration in seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be a positive number of seconds")
    return value


def sandbox_problem(euid: int | None, env: Mapping[str, str]) -> str | None:
    """Chromium refuses to start its sandbox as root; say what to do before it does."""
    if euid != 0 or env.get(SANDBOX_VARIABLE) or "--no-sandbox" in env.get(FLAGS_VARIABLE, ""):
        return None
    return (
        "the viewer is running as root, where the web view's sandbox (Chromium's) cannot start. "
        "Run it as a normal user; only in a container or CI where root is unavoidable, set "
        f"{SANDBOX_VARIABLE}=1 to run without the sandbox."
    )


def chromium_flags_problem(env: Mapping[str, str]) -> str | None:
    """A flag in the environment that turns certificate checks off is refused: the viewer
    verifies certificates itself (network.ca_bundle for a private CA) and never ignores them."""
    found = certificate_check_flags(env.get(FLAGS_VARIABLE, ""))
    if not found:
        return None
    return (
        f"{FLAGS_VARIABLE} contains {' '.join(found)}, which turns the web view's certificate "
        "checks off. Remove it; for a site with a private CA, set network.ca_bundle to the CA's "
        "PEM file instead."
    )


def health_port_problem(port: int | None, host: str = "127.0.0.1") -> str | None:
    """Whether the health endpoint can listen on `port` (a port in use is named now, not as a
    traceback once the window is up)."""
    if not port:
        return None
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"--health-port {port}: another program already listens on {host}:{port}. "
                    "Choose a free port (or 0 for any free one)."
                )
            return f"--health-port {port}: cannot listen on {host}:{port} ({error.strerror})."
    return None


def screenshot_problem(path: Path | None) -> str | None:
    """Whether `--screenshot PATH` can be written (its folder is made if need be)."""
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"--screenshot {path}: cannot make its folder ({error.strerror or error})."
    if path.is_dir() or not os.access(path.parent, os.W_OK):
        return f"--screenshot {path}: cannot write a file there. Give a writable file path."
    return None


def preflight(
    euid: int | None, env: Mapping[str, str], port: int | None, screenshot: Path | None = None
) -> str | None:
    """The first problem that stops a run before Qt starts, or None."""
    return (
        sandbox_problem(euid, env)
        or chromium_flags_problem(env)
        or health_port_problem(port)
        or screenshot_problem(screenshot)
    )


def profile_problem(profile: Profile) -> str | None:
    """What stops a loaded profile before it connects, as a sentence: a state folder that cannot
    be written (its engine-session identity is kept there), or — its auth built as `run` builds
    it — a secret that cannot be read, located at the key that refers to it (file:line, or the
    variable)."""
    from viewer.auth.errors import AuthError, UnreadableSecret
    from viewer.auth.factory import strategy_for

    try:
        identity = profile.identity()
    except OSError as error:
        return (
            f"cannot keep this profile's data in {profile.locations.state_dir} "
            f"({error.strerror or error}): its engine-session identity, stored sign-in and web "
            "profile live there. Make that folder writable for this user (on Linux, "
            "XDG_STATE_HOME moves it)."
        )
    try:
        strategy_for(profile.config, identity)
    except UnreadableSecret as error:
        return f"{profile.origin(error.key_path)}: {error}" if error.key_path else str(error)
    except AuthError as error:
        return str(error)
    return None


def current_euid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None
