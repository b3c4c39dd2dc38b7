"""The one lookup of the shipped resources: inside the package first (wheel, frozen app), then
beside it (checkout); a folder without the marker is never taken; translation sources stay
behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.core.resources import (
    MARKER,
    PACKAGE_DIR,
    ResourcesMissingError,
    resources_dir,
    shipped_files,
)


def _layout(root: Path, *, inside: bool, beside: bool) -> Path:
    package = root / "site" / "viewer"
    package.mkdir(parents=True)
    for place, wanted in ((package / "resources", inside), (package.parent / "resources", beside)):
        place.mkdir()
        if wanted:
            (place / MARKER).write_text("marker")
    return package


def test_the_checkout_folder_is_found_beside_the_package() -> None:
    assert resources_dir() == PACKAGE_DIR.parent / "resources"
    assert (resources_dir() / "branding" / "logo.svg").is_file()


def test_the_folder_inside_the_package_comes_first(tmp_path: Path) -> None:
    package = _layout(tmp_path, inside=True, beside=True)
    assert resources_dir(package) == package / "resources"


def test_a_folder_without_the_marker_is_not_taken(tmp_path: Path) -> None:
    package = _layout(tmp_path, inside=False, beside=True)
    assert resources_dir(package) == package.parent / "resources"
    (package.parent / "resources" / MARKER).unlink()
    with pytest.raises(ResourcesMissingError, match="Reinstall"):
        resources_dir(package)


def test_translation_sources_are_not_shipped(tmp_path: Path) -> None:
    for name in ("i18n/viewer_de.ts", "i18n/viewer_de.qm", "sim/single/single.js", MARKER):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_text("x")
    shipped = [str(p) for p in shipped_files(tmp_path)]
    assert shipped == [MARKER, "i18n/viewer_de.qm", "sim/single/single.js"]
