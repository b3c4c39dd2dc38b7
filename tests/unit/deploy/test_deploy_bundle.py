"""The frozen app's contents: QML and unused Qt libraries and plugins are left out, what
QtWebEngine needs stays, every subcommand is a hidden import, and sizes are held to budgets."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.cli import COMMANDS
from viewer.deploy.bundle import (
    excluded_modules,
    file_size,
    folder_size,
    hidden_imports,
    keep_in_bundle,
)


@pytest.mark.parametrize(
    "destination",
    [
        "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
        "libQt6WebEngineWidgets.so.6",
        "PySide6/Qt/libexec/QtWebEngineProcess",
        "PySide6/Qt/resources/qtwebengine_resources.pak",
        "PySide6/Qt/translations/qtwebengine_locales/de.pak",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6\\Qt6WebEngineCore.dll",
        "PySide6/Qt/lib/QtWebEngineCore.framework/Versions/A/QtWebEngineCore",
        "viewer/resources/branding/logo.svg",
    ],
)
def test_what_the_viewer_needs_is_kept(destination: str) -> None:
    assert keep_in_bundle(destination)


@pytest.mark.parametrize(
    "destination",
    [
        "PySide6/Qt/qml/QtQuick/Controls/libqtquickcontrols2plugin.so",
        "libQt63DCore.so.6",
        "PySide6/Qt/lib/libQt6Multimedia.so.6",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/resources/qtwebengine_devtools_resources.pak",
        "PySide6\\Qt6Pdf.dll",
        "PySide6/Qt/lib/QtCharts.framework/Versions/A/QtCharts",
    ],
)
def test_what_it_never_uses_is_left_out(destination: str) -> None:
    assert not keep_in_bundle(destination)


def test_every_subcommand_is_a_hidden_import() -> None:
    modules = hidden_imports(["viewer.app"], (c.module for c in COMMANDS))
    assert {c.module for c in COMMANDS} <= set(modules)
    assert modules == sorted(set(modules))


def test_unused_qt_bindings_and_test_tools_are_excluded() -> None:
    excluded = excluded_modules()
    assert "PySide6.Qt3DCore" in excluded
    assert "pytest" in excluded
    for needed in ("QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtWebEngineCore",
                   "QtWebEngineWidgets", "QtSvg"):  # fmt: skip
        assert f"PySide6.{needed}" not in excluded


def test_sizes_are_measured_against_their_budget(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x" * 1024 * 1024)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"x" * 1024 * 1024)
    (tmp_path / "link").symlink_to(tmp_path / "a")
    report = folder_size(tmp_path, budget_mib=2)
    assert (report.files, report.mib, report.within_budget) == (2, 2.0, True)
    assert not folder_size(tmp_path, budget_mib=1).within_budget
    assert "OVER the budget of 1 MiB" in folder_size(tmp_path, 1).describe("app")
    assert file_size(tmp_path / "a", 1).within_budget
