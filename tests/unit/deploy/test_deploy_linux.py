"""The Debian package's pure parts (Depends from ldd output, control, conffiles, version) and
its static files (kiosk unit, desktop entry, AppArmor profile, maintainer scripts)."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from viewer.deploy import linux
from viewer.deploy.noise import unexpected_lines

PACKAGING = Path(__file__).resolve().parents[3] / "packaging"

LDD_QT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6Core.so.6 => /opt/app/_internal/PySide6/Qt/lib/libQt6Core.so.6 (0x00007f01)
\tlibEGL.so.1 => /lib/x86_64-linux-gnu/libEGL.so.1 (0x00007f02)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f03)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f04)
"""
LDD_PLUGIN = """\
\tlibgtk-3.so.0 => not found
\tlibwayland-egl.so.1 => not found
\tlibwayland-cursor.so.0 => /lib/x86_64-linux-gnu/libwayland-cursor.so.0 (0x00007f06)
\tlibEGL.so.1 => /lib/x86_64-linux-gnu/libEGL.so.1 (0x00007f02)
\tlibdrm.so.2 => /lib/x86_64-linux-gnu/libdrm.so.2 (0x00007f05)
"""


def test_libraries_outside_the_app_and_missing_ones_are_found_optional_ones_skipped() -> None:
    linked = linux.linked_libraries([LDD_QT, LDD_PLUGIN], "/opt/app")
    assert linked.outside == {
        "/lib/x86_64-linux-gnu/libEGL.so.1",
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib/x86_64-linux-gnu/libdrm.so.2",
    }
    assert linked.missing == {"libgtk-3.so.0"}


def test_depends_are_the_owning_packages_with_a_glibc_minimum() -> None:
    owners = {
        "/lib/x86_64-linux-gnu/libEGL.so.1": "libegl1:amd64",
        "/lib/x86_64-linux-gnu/libc.so.6": "libc6:amd64",
        "/lib/x86_64-linux-gnu/libdrm.so.2": "libdrm2:amd64",
    }
    assert linux.depends(owners, owners.get) == ["libc6 (>= 2.28)", "libdrm2", "libegl1"]


def test_a_library_no_package_owns_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"/usr/local/lib/libfoo\.so"):
        linux.depends(["/usr/local/lib/libfoo.so"], lambda _path: None)


def test_the_owner_is_read_from_dpkg_search_output() -> None:
    output = "libnss3:amd64: /usr/lib/x86_64-linux-gnu/libnss3.so\n"
    assert linux.owner_from_dpkg_search(output) == "libnss3:amd64"
    diverted = "diversion by foo from: /x\nlibx:amd64: /x\n"
    assert linux.owner_from_dpkg_search(diverted) == "libx:amd64"
    assert linux.owner_from_dpkg_search("") is None


def test_control_and_conffiles() -> None:
    control = linux.control(
        version="0.1.0", architecture="amd64", depends=["libc6 (>= 2.28)", "libegl1"],
        installed_kib=1234,
    )  # fmt: skip
    fields = dict(line.split(": ", 1) for line in control.splitlines() if not line.startswith(" "))
    assert fields["Package"] == "viewer"
    assert fields["Depends"] == "libc6 (>= 2.28), libegl1"
    assert fields["Installed-Size"] == "1234"
    assert linux.conffiles() == "/etc/xdg/viewer/site.toml\n/etc/default/viewer-kiosk\n"


@pytest.mark.parametrize(
    ("python", "debian"),
    [("0.1.0", "0.1.0"), ("0.2.0rc1", "0.2.0~rc1"), ("1.0.0.dev3", "1.0.0~dev3")],
)
def test_python_versions_become_debian_versions(python: str, debian: str) -> None:
    assert linux.deb_version(python) == debian


def _unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PACKAGING / "linux" / "viewer-kiosk@.service")
    return parser


def test_the_kiosk_unit_restarts_on_failure_at_a_bounded_rate() -> None:
    unit = _unit()
    assert unit["Service"]["Restart"] == "on-failure"
    assert int(unit["Unit"]["StartLimitBurst"]) <= 10
    assert int(unit["Unit"]["StartLimitIntervalSec"]) >= 60
    assert unit["Service"]["User"] == "%i"
    assert unit["Service"]["ExecStart"] == "/usr/bin/viewer run --kiosk"


def test_the_kiosk_unit_is_a_notify_service_for_the_main_process() -> None:
    service = _unit()["Service"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "main"
    assert int(service["WatchdogSec"]) > 0


def test_the_sandbox_is_never_switched_off_by_the_packages() -> None:
    for path in PACKAGING.rglob("*"):
        if path.is_file() and path.suffix not in (".md", ".py"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "--no-sandbox" not in text, path
            assert "QTWEBENGINE_DISABLE_SANDBOX" not in text, path


def test_the_apparmor_profile_allows_user_namespaces_to_both_binaries() -> None:
    profile = (PACKAGING / "linux" / "apparmor-viewer").read_text(encoding="utf-8")
    assert "userns," in profile
    assert f"/{linux.APP_DIR}/{{viewer,_internal/PySide6/Qt/libexec/QtWebEngineProcess}}" in profile


def test_the_desktop_entry_starts_the_viewer_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / "viewer.desktop")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"].split()[0] == "viewer"
    assert desktop["Icon"] == Path(linux.ICON_FILE).stem
    assert desktop["Type"] == "Application"


def test_maintainer_scripts_leave_another_root_alone() -> None:
    for name in ("postinst", "postrm"):
        script = PACKAGING / "linux" / name
        assert script.stat().st_mode & 0o111, f"{name} is not executable"
        assert "DPKG_ROOT" in script.read_text(encoding="utf-8")


def test_log_lines_and_known_noise_are_harmless_anything_else_is_not() -> None:
    stderr = "\n".join(
        [
            '{"ts": "t", "level": "info", "event": "ui.state", "state": "LIVE"}',
            '17:01:02.123 WARNING viewer.ui: ui.translation_missing language="fr"',
            "Sandboxing disabled by user.",
            "[3335:3401:1206/165213.470857:ERROR:../../dbus/bus.cc:408] Failed to connect to the bus",
            "Failed to load vulkan: Cannot load library vulkan",
            '{"ts": "t", "level": "error", "event": "engine.closed"}',
            "17:01:02.123 ERROR   viewer.app: boom",
            "Traceback (most recent call last):",
            "[1:2:3/4.5:FATAL:render_process_host_impl.cc(1)] crashed",
        ]
    )
    assert unexpected_lines(stderr) == [
        '{"ts": "t", "level": "error", "event": "engine.closed"}',
        "17:01:02.123 ERROR   viewer.app: boom",
        "Traceback (most recent call last):",
        "[1:2:3/4.5:FATAL:render_process_host_impl.cc(1)] crashed",
    ]
