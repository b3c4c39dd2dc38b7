"""Where the UI finds the resources it ships with (default logo, compiled translations): next to
the `viewer` package in a checkout, under the bundle root in a PyInstaller build."""

from __future__ import annotations

import sys
from pathlib import Path

import viewer


def resources_dir() -> Path:
    """The project's `resources/` directory."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if isinstance(bundle, str) else Path(viewer.__file__).parent.parent
    return root / "resources"


def default_logo_path() -> Path:
    """The logo shown when the branding configures none."""
    return resources_dir() / "branding" / "logo.svg"


def translations_dir() -> Path:
    """Where the compiled Qt translations (`viewer_<lang>.qm`) live."""
    return resources_dir() / "i18n"
