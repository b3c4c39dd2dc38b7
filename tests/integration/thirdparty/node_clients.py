"""Where the third-party Node.js clients live and how a test runs one (see conftest.py)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
PACKAGES = (
    "enigma.js",
    "@qlik/api",
    "ws",
    "@nebula.js/stardust",
    "@nebula.js/sn-bar-chart",
    "@nebula.js/sn-kpi",
)
INSTALL_TIMEOUT = 180
RUN_TIMEOUT = 60

RunNode = Callable[..., dict[str, Any]]
"""`run_node(script, config, extra_ca=None)` -> the JSON line the script printed last."""


def ensure_installed() -> str:
    """The node executable, with the pinned packages installed in `MODULES` (`npm ci` when one
    is missing); skips the calling test only when Node.js is not installed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        pytest.skip("node is not installed: the third-party client tests need Node.js")
    if not all((MODULES / name / "package.json").exists() for name in PACKAGES):
        assert npm is not None, "node is installed but npm is not: cannot install the clients"
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=HERE, check=True, timeout=INSTALL_TIMEOUT,
        )  # fmt: skip
    return node
