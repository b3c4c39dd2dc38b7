"""The viewer's own texts in the configured language, through Qt's translation system.

English is the source language. `install_translator` loads `resources/i18n/viewer_<lang>.qm`;
the per-state messages come from the branding configuration and are translated when they are
the configuration's defaults (context `StateMessages` in the .ts files), shown as written when a
site customised them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from viewer.config.models import StateMessages
from viewer.log import emit, get_logger
from viewer.ui.assets import translations_dir

_log = get_logger("ui")

TRANSLATION_FILE = "viewer"
SOURCE_LANGUAGE = "en"


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Install the translation for `language` (e.g. `de`, `de-CH`) on `app`; None when the
    language is the source language or no translation exists (then English is shown)."""
    locale = QLocale(language)
    if locale.language() == QLocale(SOURCE_LANGUAGE).language():
        return None
    translator = QTranslator(app)
    if not translator.load(locale, TRANSLATION_FILE, "_", str(translations_dir())):
        emit(_log, "ui.translation_missing", language=language)
        return None
    app.installTranslator(translator)
    return translator


def state_message(messages: StateMessages, key: str) -> str:
    """The message for a state (`key` is a field of `StateMessages`), translated if it is the
    configuration's default text."""
    text = getattr(messages, key, None)
    if not isinstance(text, str):
        raise KeyError(f"no state message called {key!r}")
    return QCoreApplication.translate("StateMessages", text)
