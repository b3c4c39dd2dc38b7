"""Where the files the project ships beside the package live (`resources/`: branding,
translations, the simulated tenant's page): next to the `viewer` package in a checkout, under
the bundle root in a PyInstaller build. Shared by the UI and the simulated tenant."""

from __future__ import annotations

import sys
from pathlib import Path

import viewer


def resources_dir() -> Path:
    """The project's `resources/` directory."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if isinstance(bundle, str) else Path(viewer.__file__).parent.parent
    return root / "resources"
