"""Where the files the project ships beside the code live (`resources/`: branding,
translations, the simulated tenant's page), found by one rule in every kind of install.

The top-level `resources/` folder of the checkout travels inside the package as
`viewer/resources/` (the build hook in `setup.py` copies it into a wheel; the PyInstaller spec
puts it at the same place in a frozen app). So the lookup is always relative to the package:
`viewer/resources/` when it was installed there (wheel, frozen app), else the checkout's
`resources/` next to the package (source tree, editable install). A folder counts only when it
holds the `README.md` marker, so a stray `resources/` folder in site-packages is never taken.
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Final

# The `viewer` package directory, derived from this file (viewer/core/resources.py) so that
# the build hook can load this module on its own, before the package is installed.
PACKAGE_DIR: Final = Path(__file__).parent.parent
RESOURCES_DIR_NAME: Final = "resources"
MARKER: Final = "README.md"
# Files of `resources/` that are sources, not needed at run time (Qt Linguist's .ts files:
# the compiled .qm travel).
SOURCE_ONLY: Final = ("*.ts",)


class ResourcesMissingError(RuntimeError):
    """The install is broken: neither place holds the project's resources."""


def candidates(package_dir: Path = PACKAGE_DIR) -> tuple[Path, Path]:
    """Where `resources/` may be, in the order they are tried: inside the package (wheel,
    frozen app), then beside it (checkout, editable install)."""
    return (package_dir / RESOURCES_DIR_NAME, package_dir.parent / RESOURCES_DIR_NAME)


def resources_dir(package_dir: Path = PACKAGE_DIR) -> Path:
    """The project's `resources/` directory; `ResourcesMissingError` when the install lacks it."""
    places = candidates(package_dir)
    for place in places:
        if (place / MARKER).is_file():
            return place
    raise ResourcesMissingError(
        "the viewer's resources (logo, translations, demo pages) are missing: looked in "
        + " and ".join(str(p) for p in places)
        + ". Reinstall the viewer package."
    )


def is_shipped(relative: Path) -> bool:
    """Whether a file of `resources/` (path relative to it) is needed at run time."""
    return not any(fnmatch(relative.name, pattern) for pattern in SOURCE_ONLY)


def shipped_files(root: Path) -> Iterator[Path]:
    """The files under `root` (a `resources/` folder) that an install carries, relative to
    `root`, sorted. The wheel's build hook and the packaging file lists both use this."""
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and "__pycache__" not in relative.parts and is_shipped(relative):
            yield relative
