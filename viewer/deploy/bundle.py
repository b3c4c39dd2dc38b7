"""The frozen app (PyInstaller one-folder build): which Python modules it must carry though no
static import names them, which Qt modules it leaves out, and the size budget it is held to."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

MIB: Final = 1024 * 1024
# Budgets (issue 15: ≤ 200 MiB compressed). The one-folder app is measured as installed.
INSTALLED_BUDGET_MIB: Final = 500
COMPRESSED_BUDGET_MIB: Final = 200

# Qt modules the viewer never uses (it imports QtCore, QtGui, QtWidgets, QtNetwork,
# QtWebEngineCore, QtWebEngineWidgets; QtWebEngine itself needs QtQml, QtQuick, QtWebChannel,
# QtPositioning, QtOpenGL, QtPrintSupport and QtDBus). Left out of the bundle.
EXCLUDED_QT_MODULES: Final = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDesigner",
    "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia",
    "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc", "QtPdf", "QtPdfWidgets", "QtQuick3D",
    "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio",
    "QtSql", "QtStateMachine", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools",
    "QtWebSockets", "QtWebView", "QtXml", "QtAxContainer", "QtCanvasPainter",
)  # fmt: skip
# The Qt libraries the app needs: the closure of what the imported modules, QtWebEngineProcess
# and the kept plugins link against (readelf -d on PySide6 6.11.3). Every other Qt library the
# PySide6 hooks drag in (through QML plugins) is left out, and so are the QML plugins: the viewer
# runs no QML (QtWebEngineCore links QtQuick but loads no QML module).
KEPT_QT_LIBRARIES: Final = frozenset(
    {
        "Core", "DBus", "EglFSDeviceIntegration", "EglFsKmsGbmSupport", "EglFsKmsSupport",
        "Gui", "Network", "OpenGL", "Positioning", "PrintSupport", "Qml", "QmlMeta",
        "QmlModels", "QmlWorkerScript", "Quick", "QuickWidgets", "Svg", "WaylandClient",
        "WebChannel", "WebEngineCore", "WebEngineWidgets", "Widgets", "WlShellIntegration",
        "XcbQpa",
    }
)  # fmt: skip
UNUSED_PLUGIN_DIRS: Final = frozenset(
    {
        "assetimporters", "canbus", "designer", "geometryloaders", "geoservices", "multimedia",
        "position", "qmllint", "qmltooling", "renderers", "renderplugins", "sceneparsers",
        "scxmldatamodel", "sensors", "sqldrivers", "texttospeech", "vectorimageformats",
        "wayland-graphics-integration-server", "webview",
    }
)  # fmt: skip
# Single files left out: plugins that need a left-out library (QtPdf, QtVirtualKeyboard), the
# GTK platform theme (native file dialogs the viewer never opens; it would make GTK 3 a
# dependency), and Chromium's developer tools (12 MiB; the viewer opens no inspector).
UNUSED_FILES: Final = frozenset(
    {
        "libqpdf.so", "qpdf.dll", "libqtvirtualkeyboardplugin.so", "libqgtk3.so",
        "qtwebengine_devtools_resources.pak",
    }
)  # fmt: skip
_QT_LIBRARY = re.compile(r"^(?:lib)?Qt6([A-Za-z0-9]+)\.(?:so|dll)|^Qt([A-Za-z0-9]+)\.framework$")
# Python modules that are never needed at run time.
EXCLUDED_PYTHON_MODULES: Final = ("tkinter", "pytest", "mypy", "ruff", "hypothesis", "IPython")


def excluded_modules() -> list[str]:
    """Module names for the spec's `excludes`."""
    return [f"PySide6.{name}" for name in EXCLUDED_QT_MODULES] + list(EXCLUDED_PYTHON_MODULES)


def keep_in_bundle(destination: str) -> bool:
    """Whether a file collected for the bundle (its destination path inside the app, `/` or
    `\\` separated) is kept: no QML plugins, no unused Qt libraries or plugins."""
    parts = PurePosixPath(destination.replace("\\", "/")).parts
    if "qml" in parts and "Qt" in parts:
        return False
    if "plugins" in parts:
        below = parts[parts.index("plugins") + 1 :]
        if below and below[0] in UNUSED_PLUGIN_DIRS:
            return False
    if parts and parts[-1] in UNUSED_FILES:
        return False
    for part in parts:
        match = _QT_LIBRARY.match(part)
        if match is not None and (match.group(1) or match.group(2)) not in KEPT_QT_LIBRARIES:
            return False
    return True


def hidden_imports(modules: Iterable[str], command_modules: Iterable[str]) -> list[str]:
    """Modules the analysis cannot see: the subcommands (imported by name from `viewer.cli`)
    and every module of the package (the config package resolves its names lazily), sorted."""
    return sorted({*modules, *command_modules})


@dataclass(frozen=True)
class SizeReport:
    """The size of a folder's files, and whether it fits its budget."""

    files: int
    bytes: int
    budget_mib: int

    @property
    def mib(self) -> float:
        return self.bytes / MIB

    @property
    def within_budget(self) -> bool:
        return self.mib <= self.budget_mib

    def describe(self, what: str) -> str:
        verdict = "within" if self.within_budget else "OVER"
        return f"{what}: {self.mib:.1f} MiB in {self.files} files, {verdict} the budget of {self.budget_mib} MiB"


def folder_size(folder: Path, budget_mib: int) -> SizeReport:
    """The total size of the regular files under `folder` (symbolic links not followed)."""
    sizes = [p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return SizeReport(len(sizes), sum(sizes), budget_mib)


def file_size(path: Path, budget_mib: int) -> SizeReport:
    """The size of one file (a package) against its budget."""
    return SizeReport(1, path.stat().st_size, budget_mib)
