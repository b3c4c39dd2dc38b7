"""Figures of the packages: the Debian package's compressed and installed size against the
budget, and a `pip install` of the wheel into a fresh virtual environment followed by
`viewer demo` to LIVE (the time a user waits with nothing but the wheel)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.watched import timestamp
from viewer.deploy.bundle import COMPRESSED_BUDGET_MIB, MIB

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"


def deb_sizes(deb: Path) -> dict[str, Any]:
    """Compressed size of the .deb and its Installed-Size, in MiB."""
    control = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Installed-Size"], capture_output=True, text=True, check=True
    ).stdout
    return {
        "deb": deb.name,
        "compressed_mib": deb.stat().st_size / MIB,
        "installed_mib": int(control.strip()) / 1024,
        "budget_mib": COMPRESSED_BUDGET_MIB,
    }


def wheel_to_live(python: str = sys.executable) -> dict[str, Any]:
    """Build the wheel, then: a fresh venv, `pip install` of the wheel (timed), and `viewer
    demo` from an empty directory until LIVE (timed from its process start)."""
    with tempfile.TemporaryDirectory(prefix="viewer-wheel-bench-") as scratch:
        folder = Path(scratch)
        subprocess.run(
            [python, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(ROOT)],
            check=True, capture_output=True,
        )  # fmt: skip
        (wheel,) = folder.glob("viewer-*.whl")
        started = time.monotonic()
        # outside this environment: with PYTHONPATH on a checkout, pip would take the
        # checkout's metadata for an installed viewer and skip the wheel
        subprocess.run([python, "-m", "venv", str(folder / "venv")], check=True, env=_env())
        subprocess.run(
            [str(folder / "venv" / "bin" / "pip"), "install", "-q", str(wheel)],
            check=True, capture_output=True, env=_env(),
        )  # fmt: skip
        installed = time.monotonic() - started
        work = folder / "work"
        work.mkdir()
        launched = time.time()
        demo = subprocess.run(
            [str(folder / "venv" / "bin" / "viewer"), "demo", "--quit-after", "3",
             "--log-format", "json", "--log-file", "none"],
            capture_output=True, text=True, cwd=work, timeout=180, check=False,
            env={**_env(), "HOME": str(folder / "home")},
        )  # fmt: skip
        live = next(
            (json.loads(line) for line in demo.stderr.splitlines()
             if '"ui.state"' in line and '"LIVE"' in line),
            None,
        )  # fmt: skip
        if live is None:
            raise RuntimeError(f"viewer demo never reached LIVE: {demo.stderr[-2000:]}")
        to_live = timestamp(live) - launched
        return {"pip_install_s": installed, "demo_to_live_s": to_live,
                "total_s": installed + to_live}  # fmt: skip


def _env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not re.match(r"^(PYTHONPATH|VIRTUAL_ENV)$", k)}
    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return env


def package(_tenant: object = None) -> dict[str, Any]:
    """Both figures (the .deb must have been built: bash .ci/package)."""
    debs = sorted(BUILD.glob("viewer_*.deb"))
    result: dict[str, Any] = {"wheel": wheel_to_live()}
    if debs:
        result["deb"] = deb_sizes(debs[-1])
    return result
