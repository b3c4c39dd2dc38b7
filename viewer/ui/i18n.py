"""The viewer's own texts in the configured language, through Qt's translation system.

English is the source language. `install_translator` loads `resources/i18n/viewer_<lang>.qm`;
when a configured language has no translation, English is shown and the user is told: a warning
in the log and `missing_translation_notice()`, which the shells show on screen. The per-state messages come from the branding configuration and are translated when they are
the configuration's defaults (context `StateMessages` in the .ts files), shown as written when a
site customised them.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from viewer.config.models import StateMessages
from viewer.log import emit, get_logger
from viewer.ui.assets import translations_dir

_log = get_logger("ui")

TRANSLATION_FILE = "viewer"
SOURCE_LANGUAGE = "en"
# The application property naming a configured language that has no translation.
MISSING_PROPERTY = "viewerMissingTranslation"


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Install the translation for `language` (e.g. `de`, `de-CH`) on `app`; None when the
    language is the source language or no translation exists. In the latter case English is
    shown, a warning is logged and the language is remembered for
    `missing_translation_notice`."""
    locale = QLocale(language)
    app.setProperty(MISSING_PROPERTY, None)
    if locale.language() == QLocale(SOURCE_LANGUAGE).language():
        return None
    translator = QTranslator(app)
    folder = translations_dir()
    if not translator.load(locale, TRANSLATION_FILE, "_", str(folder)):
        emit(
            _log,
            "ui.translation_missing",
            level=logging.WARNING,
            language=language,
            folder=str(folder),
        )
        app.setProperty(MISSING_PROPERTY, language)
        return None
    app.installTranslator(translator)
    return translator


def missing_translation_notice() -> str | None:
    """The on-screen warning when the configured language has no translation (None when it
    has one). Written in English: that is the language the user is about to see."""
    app = QCoreApplication.instance()
    language = app.property(MISSING_PROPERTY) if app is not None else None
    if not language:
        return None
    return (
        f"No translation for the configured language {language!r} is installed; "
        "texts are shown in English (branding.language)."
    )


def state_message(messages: StateMessages, key: str) -> str:
    """The message for a state (`key` is a field of `StateMessages`), translated if it is the
    configuration's default text."""
    text = getattr(messages, key, None)
    if not isinstance(text, str):
        raise KeyError(f"no state message called {key!r}")
    return QCoreApplication.translate("StateMessages", text)
