"""`viewer demo`: the simulated tenant as a child process plus the viewer against it, so the
whole loop (sheet, session watching, notices, recovery) can be seen with no account and no
network. The profile is made from the sim's ready line for the chosen auth mode.

Every sign-in mode the sim offers for a browser is here. API keys are not: Qlik accepts them
for REST and engine sockets, but the sheet page in the view signs in with cookies, so a sheet
cannot be shown with an API key alone (the viewer would show the page losing its socket)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from viewer.commands.run import add_window_arguments, window_options
from viewer.log import emit, get_logger

_log = get_logger("demo")

DEFAULT_AUTH = {"cloud": "cloud-jwt", "qseow": "qseow-ticket"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_window_arguments(parser)
    parser.add_argument(
        "--flavor", choices=("cloud", "qseow"), default="cloud",
        help="simulate Qlik Cloud or client-managed Qlik Sense (default: cloud)",
    )  # fmt: skip
    parser.add_argument(
        "--auth",
        metavar="MODE",
        choices=sorted({*CLOUD_MODES, *QSEOW_MODES}),
        help="auth mode (default: cloud-jwt for cloud, qseow-ticket for qseow)",
    )
    parser.add_argument(
        "--sim-ready-file",
        type=Path,
        metavar="PATH",
        help="also write the sim's whole ready line, credentials included, to PATH (mode 0600) "
        "for local tools; the log shows it with its secrets redacted",
    )


def _first_app(ready: dict[str, Any]) -> dict[str, Any]:
    app = ready["apps"][0]
    return {"app_id": app["id"], "sheet_id": app["sheets"][0]["id"]}


def _first_user(credentials: dict[str, Any]) -> dict[str, Any]:
    return dict(credentials["users"][0])


def _cloud_jwt(ready: dict[str, Any]) -> dict[str, Any]:
    jwt = ready["credentials"]["jwt"]
    return {
        "mode": "cloud-jwt",
        "private_key": f"file:{jwt['private_key_path']}",
        "kid": jwt["kid"],
        "issuer": jwt["issuer"],
        "algorithm": jwt.get("algorithm", "RS256"),
        "subject": "demo-analyst",
        "name": "Demo Analyst",
        "email": "demo.analyst@example.com",
    }


def _qps(mode: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def auth(ready: dict[str, Any]) -> dict[str, Any]:
        credentials = ready["credentials"]
        user = _first_user(credentials)
        return {
            "mode": mode,
            "qps_url": credentials["qps_url"],
            "client_cert": credentials["client_cert_path"],
            "client_key": credentials["client_key_path"],
            "ca_cert": credentials["ca_cert_path"],
            "user_directory": user["user_directory"],
            "user_id": user["username"],
        }

    return auth


def _qseow_header(ready: dict[str, Any]) -> dict[str, Any]:
    credentials = ready["credentials"]
    user = _first_user(credentials)
    header = credentials["header_auth"]
    template = str(header["format"]).replace("$ud", "{user_directory}").replace("$id", "{user_id}")
    return {
        "mode": "qseow-header",
        "header_name": header["header"],
        "user_id": user["username"],
        "user_directory": user["user_directory"],
        "value_template": template,
    }


def _qseow_jwt(ready: dict[str, Any]) -> dict[str, Any]:
    jwt = ready["credentials"]["jwt_auth"]
    user = _first_user(ready["credentials"])
    return {
        "mode": "qseow-jwt",
        "private_key": f"file:{jwt['private_key_path']}",
        "algorithm": jwt["algorithm"],
        "user_id": user["username"],
        "user_directory": user["user_directory"],
        "user_id_claim": jwt["user_id_claim"],
        "user_directory_claim": jwt["user_directory_claim"],
    }


def _plain(mode: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda _ready: {"mode": mode}


CLOUD_MODES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "cloud-jwt": _cloud_jwt,
    "cloud-interactive": _plain("cloud-interactive"),
}
QSEOW_MODES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "qseow-ticket": _qps("qseow-ticket"),
    "qseow-session": _qps("qseow-session"),
    "qseow-header": _qseow_header,
    "qseow-jwt": _qseow_jwt,
    "qseow-interactive": _plain("qseow-interactive"),
    "anonymous": _plain("anonymous"),
}
_QSEOW_PREFIX = {
    "qseow-header": ("header_auth", "prefix"),
    "qseow-jwt": ("jwt_auth", "prefix"),
    "anonymous": ("anonymous", "prefix"),
}


def mode_problem(flavor: str, mode: str) -> str | None:
    """Why the sim of `flavor` cannot sign in with `mode` (None when it can), naming the
    `--flavor` that has the mode."""
    modes = CLOUD_MODES if flavor == "cloud" else QSEOW_MODES
    if mode in modes:
        return None
    other = "qseow" if flavor == "cloud" else "cloud"
    fix = f"add --flavor {other}, or choose" if mode in {*CLOUD_MODES, *QSEOW_MODES} else "choose"
    return (
        f"auth mode {mode!r} does not exist for the {flavor} flavour; "
        f"{fix} one of {', '.join(sorted(modes))}"
    )


def demo_config(ready: dict[str, Any], flavor: str, mode: str) -> dict[str, Any]:
    """The profile (as plain data) that points the viewer at the sim with auth `mode`."""
    problem = mode_problem(flavor, mode)
    if problem is not None:
        raise ValueError(problem)
    credentials = ready["credentials"]
    tenant: dict[str, Any] = {"kind": flavor, "base_url": ready["url"], **_first_app(ready)}
    if flavor == "cloud":
        tenant["web_integration_id"] = credentials["web_integration_id"]
    else:
        section, key = _QSEOW_PREFIX.get(mode, ("virtual_proxy", "prefix"))
        tenant["prefix"] = credentials[section][key]
    return {
        "tenant": tenant,
        "auth": (CLOUD_MODES if flavor == "cloud" else QSEOW_MODES)[mode](ready),
        "branding": {"product_name": "Viewer demo"},
    }


def _write_private(path: Path, text: str) -> None:
    """Write `text` to a file only its owner can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def run(args: argparse.Namespace) -> int:
    from viewer.app import run_app
    from viewer.commands.preflight import current_euid, preflight, profile_problem
    from viewer.commands.simproc import SimProcess, SimStartError
    from viewer.config.loading import ConfigLocations, Profile
    from viewer.config.models import ViewerConfig

    problem = preflight(current_euid(), os.environ, args.health_port, args.screenshot)
    if problem is not None:
        print(f"viewer demo: {problem}", file=sys.stderr)
        return 2
    mode = args.auth or DEFAULT_AUTH[args.flavor]
    problem = mode_problem(args.flavor, mode)
    if problem is not None:  # said before a sim is started for nothing
        print(f"viewer demo: {problem}.", file=sys.stderr)
        return 2
    try:
        sim = SimProcess.start(args.flavor)
    except SimStartError as error:
        print(f"viewer demo: {error}", file=sys.stderr)
        return 1
    with sim:
        if args.sim_ready_file is not None:  # written before the event announces the sim
            _write_private(args.sim_ready_file, json.dumps(sim.ready))
        emit(_log, "sim.ready", **{k: v for k, v in sim.ready.items() if k != "event"})
        try:
            config = ViewerConfig.model_validate(demo_config(sim.ready, args.flavor, mode))
        except ValueError as error:
            print(f"viewer demo: {error}", file=sys.stderr)
            return 2
        profile = Profile(
            name=f"demo-{args.flavor}-{mode}",
            config=config,
            origins={},
            files=(),
            locations=ConfigLocations.from_platform(),
        )
        problem = profile_problem(profile)
        if problem is not None:
            print(f"viewer demo: {problem}", file=sys.stderr)
            return 2
        # every demo starts from a fresh sim: no window state to come back to
        options = window_options(args, remember_window=False)
        return run_app(profile, options)
