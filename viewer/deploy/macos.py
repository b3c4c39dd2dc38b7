"""The macOS app's signing order: every Mach-O inside `Viewer.app` is signed before what contains
it (innermost first), QtWebEngine's helper with its own entitlements, the app last — what
packaging/macos/sign-and-package.sh runs `codesign` over."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

APP_ENTITLEMENTS: Final = "packaging/macos/viewer.entitlements"
HELPER_ENTITLEMENTS: Final = "packaging/macos/webengine-helper.entitlements"
HELPER_NAME: Final = "QtWebEngineProcess"
_SIGNED_SUFFIXES: Final = (".so", ".dylib")
_BUNDLE_SUFFIXES: Final = (".framework", ".app")


@dataclass(frozen=True)
class Signing:
    """One `codesign` call: the path (relative to the folder holding the app) and its entitlements
    (None: none, it is a library)."""

    path: str
    entitlements: str | None


def _depth(path: str) -> int:
    return len(PurePosixPath(path).parts)


def signing_order(files: Iterable[str], app: str = "Viewer.app") -> list[Signing]:
    """The signing calls for the app whose files (relative paths, `/`-separated, including
    `Viewer.app/Contents/MacOS/viewer`) are `files`: libraries, then helpers and nested
    bundles, deepest first, then the app."""
    signings: dict[str, Signing] = {}
    for name in files:
        path = PurePosixPath(name)
        if path.name == HELPER_NAME and "MacOS" in path.parts:
            helper_app = next(
                (str(PurePosixPath(*path.parts[: i + 1])) for i, part in enumerate(path.parts)
                 if part.endswith(".app") and i > 0),
                str(path),
            )  # fmt: skip
            signings[helper_app] = Signing(helper_app, HELPER_ENTITLEMENTS)
        elif path.suffix in _SIGNED_SUFFIXES or ".so." in path.name or path.name == "Python":
            signings[str(path)] = Signing(str(path), None)
        for index, part in enumerate(path.parts[1:-1], start=1):
            if part.endswith(_BUNDLE_SUFFIXES) and not part.endswith("Helper.app"):
                bundle = str(PurePosixPath(*path.parts[: index + 1]))
                if part.endswith(".framework"):
                    signings.setdefault(bundle, Signing(bundle, None))
    ordered = sorted(
        (s for s in signings.values() if s.path != app), key=lambda s: (-_depth(s.path), s.path)
    )
    return [*ordered, Signing(app, APP_ENTITLEMENTS)]
