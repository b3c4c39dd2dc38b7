"""The Windows and macOS recipes' pure parts: the installer properties reach `viewer config
site-file` with the right keys, and the macOS app is signed innermost first, QtWebEngine's helper
with its own entitlements."""

from __future__ import annotations

import plistlib
import re
import shlex
from pathlib import Path

from viewer.config.paths import key_info
from viewer.deploy.macos import APP_ENTITLEMENTS, HELPER_ENTITLEMENTS, signing_order
from viewer.deploy.windows import PROPERTIES, SITE_FILE, inno_include, site_file_parameters

ROOT = Path(__file__).resolve().parents[3]


def test_every_installer_property_names_a_real_key_once() -> None:
    assert len({p.name for p in PROPERTIES}) == len(PROPERTIES)
    for prop in PROPERTIES:
        info = key_info(prop.key)
        assert info is not None, prop.key
        assert info.model is None, prop.key


def test_the_run_entry_passes_every_property_to_site_file() -> None:
    arguments = shlex.split(site_file_parameters())
    assert arguments[:2] == ["config", "site-file"]
    sets = [arguments[i + 1] for i, a in enumerate(arguments) if a == "--set"]
    assert sets == [f"{p.key}={{param:{p.name}|}}" for p in PROPERTIES]
    assert arguments[arguments.index("--output") + 1] == SITE_FILE
    assert arguments[arguments.index("--lock") + 1] == "{param:LOCK|}"


def test_the_inno_include_runs_only_when_a_property_was_given() -> None:
    include = inno_include()
    run = re.search(r'^Filename: "\{app\}\\viewer\.exe"; Parameters: "(.*)"; Flags', include, re.M)
    assert run is not None
    assert run.group(1).replace('""', '"') == site_file_parameters()
    assert "Check: SitePropertiesGiven" in include
    for prop in PROPERTIES:
        assert f"{{param:{prop.name}|}}" in include.split("[Code]")[1]


def test_the_inno_recipe_includes_the_generated_file_and_the_policy_template() -> None:
    recipe = (ROOT / "packaging" / "windows" / "viewer.iss").read_text(encoding="utf-8")
    assert '#include "..\\..\\build\\installer\\site-properties.iss"' in recipe
    assert "viewer.admx" in recipe
    assert "AppId={{" in recipe


def test_the_app_is_signed_innermost_first_with_the_helper_entitlements() -> None:
    files = [
        "Viewer.app/Contents/MacOS/viewer",
        "Viewer.app/Contents/Frameworks/libpython3.11.dylib",
        "Viewer.app/Contents/Frameworks/PySide6/QtCore.abi3.so",
        "Viewer.app/Contents/Frameworks/PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore",
        "Viewer.app/Contents/Frameworks/PySide6/Qt/lib/QtWebEngineCore.framework/Versions/A/"
        "Helpers/QtWebEngineProcess.app/Contents/MacOS/QtWebEngineProcess",
        "Viewer.app/Contents/Resources/viewer/resources/branding/logo.svg",
    ]
    order = signing_order(files)
    paths = [s.path for s in order]
    assert paths[-1] == "Viewer.app"
    assert order[-1].entitlements == APP_ENTITLEMENTS
    helper = next(s for s in order if s.path.endswith("QtWebEngineProcess.app"))
    assert helper.entitlements == HELPER_ENTITLEMENTS
    framework = "Viewer.app/Contents/Frameworks/PySide6/Qt/lib/QtWebEngineCore.framework"
    assert paths.index(helper.path) < paths.index(framework)
    assert not any(p.endswith("logo.svg") for p in paths)
    assert "Viewer.app/Contents/Frameworks/libpython3.11.dylib" in paths


def test_the_entitlement_files_are_property_lists_with_what_webengine_needs() -> None:
    helper = plistlib.loads((ROOT / HELPER_ENTITLEMENTS).read_bytes())
    assert helper["com.apple.security.cs.allow-jit"] is True
    app = plistlib.loads((ROOT / APP_ENTITLEMENTS).read_bytes())
    assert app["com.apple.security.cs.allow-unsigned-executable-memory"] is True
