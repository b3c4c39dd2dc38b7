"""The robustness tests that run QtWebEngine (a hostile page in a real view): the gui tier's
session setup (tests/qt_session.py) — offscreen Qt, QtWebEngine as root, one qasync loop."""

from qt_session import AsyncRunner, qloop, run_async

__all__ = ["AsyncRunner", "qloop", "run_async"]
