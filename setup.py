"""Build hook: the top-level `resources/` folder travels inside the package as
`viewer/resources/` (the layout keeps `resources/` at the top; see resources/README.md).

Everything else about the build is declared in pyproject.toml. An editable install copies
nothing: the lookup (`viewer.core.resources`) finds the checkout's folder beside the package.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent


def _resources_module():  # type: ignore[no-untyped-def]
    """viewer/core/resources.py loaded on its own: the package is not importable yet."""
    spec = importlib.util.spec_from_file_location(
        "_viewer_resources", HERE / "viewer" / "core" / "resources.py"
    )
    if spec is None or spec.loader is None:
        raise ImportError("viewer/core/resources.py cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildPyWithResources(build_py):
    """`build_py` that also copies the shipped files of `resources/` into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        resources = _resources_module()
        source = HERE / resources.RESOURCES_DIR_NAME
        target = Path(self.build_lib) / "viewer" / resources.RESOURCES_DIR_NAME
        if target.exists():
            shutil.rmtree(target)
        for relative in resources.shipped_files(source):
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, target / relative)


setup(cmdclass={"build_py": BuildPyWithResources})
