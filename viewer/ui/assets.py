"""Where the UI finds the resources it ships with (default logo, compiled translations): next to
the `viewer` package in a checkout, under the bundle root in a PyInstaller build."""

from __future__ import annotations

from pathlib import Path

from viewer.core.resources import resources_dir


def default_logo_path() -> Path:
    """The logo shown when the branding configures none."""
    return resources_dir() / "branding" / "logo.svg"


def translations_dir() -> Path:
    """Where the compiled Qt translations (`viewer_<lang>.qm`) live."""
    return resources_dir() / "i18n"
