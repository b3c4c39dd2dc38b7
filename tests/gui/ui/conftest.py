"""Fixtures of the UI widget tests: branding and kiosk settings from the config models, a fake
clock, and German installed on demand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication
from ui_helpers import FakeClock

from viewer.config.models import BrandingConfig, KioskConfig
from viewer.ui.i18n import install_translator


@pytest.fixture
def branding() -> BrandingConfig:
    return BrandingConfig(product_name="Sales Wall")


@pytest.fixture
def kiosk_config() -> KioskConfig:
    return KioskConfig(enabled=True, exit_shortcut="Ctrl+Shift+X", hide_cursor_after_s=0.2)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def german(qapp: QApplication) -> Iterator[QTranslator]:
    """The German translation installed for one test, removed afterwards."""
    translator = install_translator(qapp, "de")
    assert translator is not None, "resources/i18n/viewer_de.qm is missing"
    yield translator
    qapp.removeTranslator(translator)
