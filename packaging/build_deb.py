"""Build the Debian package from the PyInstaller one-folder app:

    .venv/bin/python packaging/build_deb.py --dist build/dist/viewer --out build

Lays out the package (viewer.deploy.linux), works out Depends from what the app links against
outside itself (ldd + dpkg -S), writes the control files, builds with dpkg-deb (zstd, fast) and
checks the compressed size against the budget. Prints the .deb's path on the last line.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viewer import __version__
from viewer.core.resources import resources_dir
from viewer.deploy import linux
from viewer.deploy.bundle import (
    COMPRESSED_BUDGET_MIB,
    INSTALLED_BUDGET_MIB,
    file_size,
    folder_size,
)

STATIC = ROOT / "packaging" / "linux"


def _is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def _ldd(path: Path, library_path: str) -> str:
    env = {**os.environ, "LD_LIBRARY_PATH": library_path}
    result = subprocess.run(
        ["ldd", str(path)], capture_output=True, text=True, env=env, check=False
    )
    return result.stdout


def _owner(library: str) -> str | None:
    for candidate in (library, os.path.realpath(library)):
        result = subprocess.run(
            ["dpkg", "-S", candidate], capture_output=True, text=True, check=False
        )
        if result.returncode == 0:
            return linux.owner_from_dpkg_search(result.stdout)
        # merged /usr: dpkg may know the file under /lib instead of /usr/lib or the other way
        alias = (
            candidate.removeprefix("/usr")
            if candidate.startswith("/usr/lib")
            else "/usr" + candidate
        )
        result = subprocess.run(["dpkg", "-S", alias], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            return linux.owner_from_dpkg_search(result.stdout)
    return None


def _depends(app: Path) -> list[str]:
    internal = app / "_internal"
    library_path = f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"
    binaries = [p for p in app.rglob("*") if p.is_file() and not p.is_symlink() and _is_elf(p)]
    linked = linux.linked_libraries((_ldd(p, library_path) for p in binaries), str(app))
    if linked.missing:
        # plugins for optional system parts (e.g. the GTK theme) may need what is not here
        print(f"note: not found on this system: {', '.join(sorted(linked.missing))}")
    return linux.depends(linked.outside, _owner)


def _copy(source: Path, staging: Path, destination: str, mode: int = 0o644) -> None:
    target = staging / destination
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(mode)


def _architecture() -> str:
    result = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def build(dist: Path, out: Path, compression: str, level: int) -> Path:
    out = out.resolve()  # ldd reports absolute paths; the app's own must be recognised
    staging = out / "deb-root"
    if staging.exists():
        shutil.rmtree(staging)
    app = staging / linux.APP_DIR
    shutil.copytree(dist, app, symlinks=True)
    (staging / linux.BIN_LINK).parent.mkdir(parents=True)
    (staging / linux.BIN_LINK).symlink_to("../lib/viewer/viewer")
    _copy(STATIC / "viewer.desktop", staging, linux.DESKTOP_FILE)
    _copy(resources_dir() / "branding" / "logo.svg", staging, linux.ICON_FILE)
    _copy(STATIC / "viewer-kiosk@.service", staging, linux.UNIT_FILE)
    _copy(STATIC / "viewer-kiosk.default", staging, linux.KIOSK_DEFAULTS)
    _copy(STATIC / "site.toml", staging, linux.SITE_FILE)
    _copy(STATIC / "apparmor-viewer", staging, linux.APPARMOR_FILE)
    _copy(ROOT / "packaging" / "README.md", staging, f"{linux.DOC_DIR}/README.md")
    (staging / linux.POLICY_DIR).mkdir(parents=True)
    installed = folder_size(staging, INSTALLED_BUDGET_MIB)
    control = staging / "DEBIAN"
    control.mkdir()
    (control / "control").write_text(
        linux.control(
            version=linux.deb_version(__version__),
            architecture=_architecture(),
            depends=_depends(app),
            installed_kib=installed.bytes // 1024,
        ),
        encoding="utf-8",
    )
    (control / "conffiles").write_text(linux.conffiles(), encoding="utf-8")
    for script in ("postinst", "postrm"):
        _copy(STATIC / script, staging, f"DEBIAN/{script}", 0o755)
    package = out / f"{linux.PACKAGE}_{linux.deb_version(__version__)}_{_architecture()}.deb"
    subprocess.run(
        [
            "dpkg-deb",
            "--root-owner-group",
            f"-Z{compression}",
            f"-z{level}",
            "--build",
            str(staging),
            str(package),
        ],
        check=True,
    )
    compressed = file_size(package, COMPRESSED_BUDGET_MIB)
    print(installed.describe("installed"))
    print(compressed.describe(f"package ({compression})"))
    if not (installed.within_budget and compressed.within_budget):
        raise SystemExit("the package is over its size budget")
    return package


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "build" / "dist" / "viewer")
    parser.add_argument("--out", type=Path, default=ROOT / "build")
    parser.add_argument("--compression", choices=("zstd", "gzip"), default="zstd")
    parser.add_argument(
        "--level",
        type=int,
        default=6,
        help="compression level (zstd 6 takes 16 s here, 12 takes 90 s for 4 per cent less)",
    )
    args = parser.parse_args()
    print(build(args.dist, args.out, args.compression, args.level))


if __name__ == "__main__":
    main()
