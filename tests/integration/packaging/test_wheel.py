"""The wheel carries the resources: built from this checkout with pip, it holds every shipped
file of `resources/` under `viewer/resources/`, where the lookup looks first."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from viewer.core.resources import MARKER, resources_dir, shipped_files

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]


def test_the_wheel_carries_every_shipped_resource(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("viewer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"viewer/resources/{p.as_posix()}" for p in shipped_files(resources_dir())}
    assert f"viewer/resources/{MARKER}" in expected
    assert expected <= names
    assert not {n for n in names if n.endswith(".ts")}
