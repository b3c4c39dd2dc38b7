"""The Debian package of the frozen app: where its files go, its control file, its conffiles,
and its dependencies worked out from the libraries the app links against outside itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

PACKAGE: Final = "viewer"
APP_DIR: Final = "usr/lib/viewer"  # the one-folder app
BIN_LINK: Final = "usr/bin/viewer"  # -> ../lib/viewer/viewer
DESKTOP_FILE: Final = "usr/share/applications/viewer.desktop"
ICON_FILE: Final = "usr/share/icons/hicolor/scalable/apps/viewer.svg"
UNIT_FILE: Final = "usr/lib/systemd/system/viewer-kiosk@.service"
KIOSK_DEFAULTS: Final = "etc/default/viewer-kiosk"
SITE_FILE: Final = "etc/xdg/viewer/site.toml"
POLICY_DIR: Final = "etc/viewer/policies/managed"
APPARMOR_FILE: Final = "usr/share/viewer/apparmor/viewer"
DOC_DIR: Final = "usr/share/doc/viewer"
# Files under /etc that dpkg keeps when the administrator changed them.
CONFFILES: Final = (SITE_FILE, KIOSK_DEFAULTS)
# The PySide6 6.11 wheels are manylinux_2_28: glibc 2.28 at least.
MIN_GLIBC: Final = "2.28"
# Not linked but needed: fonts for the notices and pages, the keyboard data xkbcommon reads;
# and what Qt's Wayland plugin links against (without it Qt uses X11, through XWayland).
RECOMMENDS: Final = ("fonts-dejavu-core", "xkb-data", "libwayland-cursor0", "libwayland-egl1")

_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(/\S+)\s+\(0x[0-9a-f]+\)\s*$")
_LDD_MISSING = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")


@dataclass(frozen=True)
class LinkedLibraries:
    """What the app's binaries link against outside the app (`outside`), and what no library
    on the system provides (`missing`)."""

    outside: frozenset[str]
    missing: frozenset[str]


# Libraries outside the app that only Recommends packages provide (not Depends).
RECOMMENDED_LIBRARIES: Final = ("libwayland-cursor.so", "libwayland-egl.so")


def linked_libraries(ldd_outputs: Iterable[str], app_root: str) -> LinkedLibraries:
    """Read `ldd` outputs of the app's binaries: libraries resolved outside `app_root` and
    libraries not found at all (the Recommends ones are neither: they are optional)."""
    outside: set[str] = set()
    missing: set[str] = set()
    root = app_root.rstrip("/") + "/"
    for output in ldd_outputs:
        for line in output.splitlines():
            if any(name in line for name in RECOMMENDED_LIBRARIES):
                continue
            found = _LDD_LINE.match(line)
            if found is not None and not found.group(2).startswith(root):
                outside.add(found.group(2))
            elif (lost := _LDD_MISSING.match(line)) is not None:
                missing.add(lost.group(1))
    return LinkedLibraries(frozenset(outside), frozenset(missing))


def depends(libraries: Iterable[str], owner_of: Callable[[str], str | None]) -> list[str]:
    """The Depends field's entries: the packages owning `libraries` (`owner_of` asks dpkg),
    architecture qualifiers dropped, sorted, with glibc's minimum version. A library no package
    owns is an error: the package would not run where that library is missing."""
    packages: set[str] = set()
    unowned = []
    for library in sorted(libraries):
        owner = owner_of(library)
        if owner is None:
            unowned.append(library)
        else:
            packages.add(owner.split(":", 1)[0])
    if unowned:
        raise ValueError(f"no package provides {', '.join(unowned)}: bundle them or install them")
    packages.discard("libc6")
    return [f"libc6 (>= {MIN_GLIBC})", *sorted(packages)]


def owner_from_dpkg_search(output: str) -> str | None:
    """The package in `dpkg -S PATH` output (`libnss3:amd64: /usr/lib/...`), None if none."""
    for line in output.splitlines():
        name, sep, _path = line.partition(": ")
        if sep and "diversion" not in name:
            return name.split(",")[0].strip()
    return None


def control(*, version: str, architecture: str, depends: Iterable[str], installed_kib: int) -> str:
    """The DEBIAN/control file."""
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {architecture}\n"
        "Maintainer: Viewer maintainers <viewer@example.com>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        f"Recommends: {', '.join(RECOMMENDS)}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: desktop viewer for Qlik Sense sheets that never shows a dead session\n"
        " Shows a Qlik Sense sheet in a native window while holding the same engine session;\n"
        " hides the sheet the moment the session ends or the network drops, says why, and\n"
        " recovers. Includes a kiosk systemd unit (viewer-kiosk@USER.service) and the site\n"
        " configuration /etc/xdg/viewer/site.toml.\n"
    )


def conffiles() -> str:
    """The DEBIAN/conffiles file."""
    return "".join(f"/{path}\n" for path in CONFFILES)


def deb_version(version: str) -> str:
    """A Python version as a Debian version (`0.1.0rc1` -> `0.1.0~rc1`, which sorts before
    `0.1.0` as it should)."""
    return re.sub(r"(\d)(a|b|rc|dev)(\d*)", r"\1~\2\3", version.replace(".dev", "~dev"))
