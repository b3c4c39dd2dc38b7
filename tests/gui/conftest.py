"""Shared setup of the gui tier: offscreen Qt, QtWebEngine as root, and one qasync loop
(tests/qt_session.py, shared with the robustness tier)."""

from qt_session import AsyncRunner, qloop, run_async

__all__ = ["AsyncRunner", "qloop", "run_async"]
