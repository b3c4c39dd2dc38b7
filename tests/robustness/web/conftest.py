"""The robustness tests that run QtWebEngine (a hostile page in a real view): the gui tier's
session setup (tests/qt_session.py) — offscreen Qt, QtWebEngine as root, one qasync loop."""

from qt_session import AsyncRunner, qloop, run_async

__all__ = ["AsyncRunner", "qloop", "run_async"]


def pytest_configure(config: object) -> None:
    """The hostile servers' sockets that Chromium leaves open when a test ends are collected by
    Python's GC at a moment that varies (a ResourceWarning in some later test under
    `filterwarnings = error`): those two warnings name sockets, never the viewer's behaviour."""
    add = config.addinivalue_line  # type: ignore[attr-defined]
    # (a filter's fields are separated by ":", so "." stands for the colon of the message)
    for message in (r"Exception ignored in. <function _SelectorTransport\.__del__",
                    r"Exception ignored in. <socket\.socket"):  # fmt: skip
        add("filterwarnings", f"ignore:{message}:pytest.PytestUnraisableExceptionWarning")
