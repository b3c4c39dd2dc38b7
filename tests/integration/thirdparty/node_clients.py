"""Where the third-party Node.js clients live and how a test runs one (see conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
PACKAGES = ("enigma.js", "@qlik/api", "ws")
INSTALL_TIMEOUT = 180
RUN_TIMEOUT = 60

RunNode = Callable[..., dict[str, Any]]
"""`run_node(script, config, extra_ca=None)` -> the JSON line the script printed last."""
