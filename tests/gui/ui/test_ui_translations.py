"""Qt translations: German appears with language `de`, every text the viewer can show has a
German translation, the committed .qm matches its .ts sources, and a language without a
translation is a warning in the log and on screen."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_helpers import directive_after, make_view

from viewer.config.models import BrandingConfig, KioskConfig, StateMessages
from viewer.core.closes import (
    Initiator,
    classify_close,
    classify_handshake_status,
    classify_notification,
    classify_session_state,
)
from viewer.core.state import EngineClosed, EngineOpened, PageLoaded, Phase
from viewer.ui.assets import translations_dir
from viewer.ui.dialog import StateDialog
from viewer.ui.i18n import (
    MISSING_PROPERTY,
    install_translator,
    missing_translation_notice,
    state_message,
)
from viewer.ui.reasons import known_reason_keys, reason_text
from viewer.ui.shells import KioskShell
from viewer.ui.tabs import TabbedShell

PROXY_MESSAGES = (
    "OnSessionTimedOut", "OnSessionClosed", "OnSessionLoggedOut", "OnLicenseAccessDenied",
    "OnNoEngineAvailable", "OnEngineWebsocketFailed", "OnRepositoryWebsocketFailed",
    "OnNoRepositoryAvailable", "OnMaxParallelSessionsExceeded", "OnSomethingNew",
)  # fmt: skip
SESSION_STATES = (
    "SESSION_ERROR_NO_LICENSE", "SESSION_ERROR_LICENSE_RENEW", "SESSION_ERROR_LIMIT_EXCEEDED",
    "SESSION_ERROR_SECURITY_HEADER_CHANGED", "SESSION_ACCESS_CONTROL_SETUP_FAILURE",
    "SESSION_ERROR_APP_ACCESS_DENIED", "SESSION_ERROR_APP_FAILURE", "SESSION_ERROR_NEW",
)  # fmt: skip


def _close_reason_keys() -> set[str]:
    keys = {
        classify_close(code, reason, initiator).reason_key
        for code in (None, *range(1000, 1016), 4000, *range(4200, 4300), 4999)
        for initiator in Initiator
        for reason in ("", "keepalive ping timeout")
    }
    keys |= {classify_notification(m, {"severity": "fatal"}).reason_key for m in PROXY_MESSAGES}  # type: ignore[union-attr]
    keys |= {classify_session_state(s).reason_key for s in SESSION_STATES}  # type: ignore[union-attr]
    keys |= {classify_handshake_status(status).reason_key for status in range(300, 600)}
    auth = classify_notification("OnAuthenticationInformation", {"mustAuthenticate": True})
    assert auth is not None
    keys.add(auth.reason_key)
    return keys


def test_every_close_reason_has_a_sentence() -> None:
    missing = _close_reason_keys() - known_reason_keys()
    assert not missing


def test_dialog_speaks_german(qtbot: QtBot, german: QTranslator) -> None:
    dialog = StateDialog(BrandingConfig(language="de"))
    qtbot.addWidget(dialog)
    closed = directive_after(
        EngineOpened(), PageLoaded(), EngineClosed(classify_close(1000, "", Initiator.REMOTE))
    )
    dialog.show_directive(closed)
    assert dialog.reconnect_button.text() == "Neu verbinden"
    assert dialog.quit_button.text() == "Beenden"
    assert dialog.panel.message.text() == "Die Sitzung wurde beendet."
    assert dialog.panel.reason.text() == "Der Server hat die Sitzung beendet."
    dialog.close()


def test_english_without_a_translator(qtbot: QtBot) -> None:
    dialog = StateDialog(BrandingConfig())
    qtbot.addWidget(dialog)
    assert dialog.reconnect_button.text() == "Reconnect"


def test_customised_messages_are_shown_as_written(german: QTranslator) -> None:
    messages = StateMessages(closed="Bitte IT anrufen: 1234")
    assert state_message(messages, Phase.CLOSED.message_key) == "Bitte IT anrufen: 1234"


@pytest.mark.usefixtures("german")
def test_every_text_has_a_german_translation() -> None:
    defaults = StateMessages()
    for phase in Phase:
        if phase is Phase.LIVE:
            continue
        key = phase.message_key
        assert state_message(defaults, key) != getattr(defaults, key), key
    for key in known_reason_keys():
        translated = reason_text(key)
        assert translated is not None
        assert not translated.startswith("The "), (key, translated)


def test_compiled_translations_match_their_sources(tmp_path: Path) -> None:
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed next to this Python")
    folder = translations_dir()
    for compiled in folder.glob("viewer_*.qm"):
        language = compiled.stem.removeprefix("viewer_")
        sources = sorted(folder.glob(f"*_{language}.ts"))
        fresh = tmp_path / compiled.name
        subprocess.run(
            [lrelease, *map(str, sources), "-qm", str(fresh)], check=True, capture_output=True
        )
        assert fresh.read_bytes() == compiled.read_bytes(), f"{compiled.name} is stale"


def test_every_ui_text_is_in_the_sources_and_translated(tmp_path: Path) -> None:
    """lupdate over the widgets and the desktop's commands finds no text the .ts lacks, keeps
    none it no longer has, and every entry has its translation."""
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed next to this Python")
    package = Path(__file__).resolve().parents[3] / "viewer"
    code = sorted(
        str(path) for folder in ("ui", "desktop") for path in (package / folder).glob("*.py")
    )
    for source in sorted(translations_dir().glob("viewer_*.ts")):
        language = source.stem.removeprefix("viewer_")
        fresh = tmp_path / source.name
        shutil.copy(source, fresh)
        subprocess.run(
            [lupdate, *code, "-ts", str(fresh), "-source-language", "en",
             "-target-language", language, "-locations", "none", "-no-obsolete"],
            check=True, capture_output=True,
        )  # fmt: skip
        text = fresh.read_text(encoding="utf-8")
        assert 'type="unfinished"' not in text, f"{source.name}: texts without a translation"
        assert text == source.read_text(encoding="utf-8"), f"{source.name} is not up to date"


@pytest.fixture
def french_missing(qapp: QApplication, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Language `fr` configured, for which no translation ships."""
    with caplog.at_level(logging.WARNING, logger="viewer.ui"):
        assert install_translator(qapp, "fr") is None
    yield
    qapp.setProperty(MISSING_PROPERTY, None)


@pytest.mark.usefixtures("french_missing")
def test_a_missing_translation_is_a_logged_warning(caplog: pytest.LogCaptureFixture) -> None:
    warnings = [
        r
        for r in caplog.get_records("setup")
        if getattr(r, "event", None) == "ui.translation_missing"
    ]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert getattr(warnings[0], "fields", {})["language"] == "fr"


@pytest.mark.usefixtures("french_missing")
def test_a_missing_translation_is_shown_in_the_desktop_status_bar(qtbot: QtBot) -> None:
    shell = TabbedShell(BrandingConfig(language="fr"))
    qtbot.addWidget(shell.window)
    message = shell.window.statusBar().currentMessage()
    assert "'fr'" in message
    assert "English" in message
    shell.dialog.close()


@pytest.mark.usefixtures("french_missing")
def test_a_missing_translation_is_shown_on_the_kiosk_overlay(
    qtbot: QtBot, kiosk_config: KioskConfig
) -> None:
    shell = KioskShell(make_view(), BrandingConfig(language="fr"), kiosk_config)
    qtbot.addWidget(shell.window)
    assert not shell.overlay.warning.isHidden()
    assert "'fr'" in shell.overlay.warning.text()
    shell.close()


def test_an_installed_translation_shows_no_warning(qapp: QApplication) -> None:
    translator = install_translator(qapp, "de")
    try:
        assert translator is not None
        assert missing_translation_notice() is None
    finally:
        qapp.removeTranslator(translator)  # type: ignore[arg-type]
