"""The configured branding turned into Qt things: the logo as a pixmap and one style sheet
carrying the colours, applied to every notice the viewer shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap

from viewer.config.models import BrandingConfig
from viewer.log import emit, get_logger
from viewer.ui.assets import default_logo_path

_log = get_logger("ui")

NOTICE_OBJECT_NAME = "brandedNotice"


def logo_pixmap(branding: BrandingConfig, height: int) -> QPixmap:
    """The branding's logo scaled to `height` pixels; the default logo if it cannot be read."""
    pixmap = QPixmap(str(branding.logo)) if branding.logo is not None else QPixmap()
    if pixmap.isNull():
        if branding.logo is not None:
            emit(_log, "ui.logo_unreadable", path=str(branding.logo))
        pixmap = QPixmap(str(default_logo_path()))
    return pixmap.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)


def notice_style(branding: BrandingConfig) -> str:
    """Style sheet for a widget named `NOTICE_OBJECT_NAME` and its labels and buttons."""
    name = NOTICE_OBJECT_NAME
    return (
        f"#{name} {{ background-color: {branding.background_color}; }}\n"
        f"#{name} QLabel {{ color: {branding.text_color}; background: transparent; }}\n"
        f"#{name} QPushButton {{ background-color: {branding.primary_color};"
        f" color: {branding.background_color}; border: none; border-radius: 4px;"
        " padding: 6px 16px; }\n"
        f"#{name} QPushButton:focus {{ border: 2px solid {branding.text_color}; }}\n"
    )


WINDOW_OBJECT_NAME = "viewerWindow"


def window_style(branding: BrandingConfig) -> str:
    """Style sheet of the main window: the branding's background and text colour, status bar
    included, so nothing around the sheet is the platform's grey."""
    name = WINDOW_OBJECT_NAME
    return (
        f"#{name}, #{name} QStatusBar {{ background-color: {branding.background_color}; }}\n"
        f"#{name} QStatusBar QLabel {{ color: {branding.text_color}; }}\n"
    )
