"""The robustness tier (issue 13): hostile servers on 127.0.0.1 and hypothesis fuzzing, bounded
in time. Tests that need QtWebEngine use the gui tier's session setup (tests/qt_session.py)."""

from qt_session import AsyncRunner, qloop, run_async

__all__ = ["AsyncRunner", "qloop", "run_async"]
