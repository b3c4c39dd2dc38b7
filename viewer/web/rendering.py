"""How the window draws the web view: through the GPU (Qt's default) or with Qt Quick's software
renderer. A Linux machine without a GPU render node (a VM, a thin client, Xvfb) has only a
software OpenGL (llvmpipe), which runs on the CPU anyway and compiles its shaders at the first
frame; the software renderer draws the same pixels without that, so the first sheet is on screen
about 110 ms sooner there. Qt reads the choice once, before the first window: `apply` it first."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from viewer.config.models import WebRendering
QUICK_BACKEND: Final = "QT_QUICK_BACKEND"
DRI_DIR: Final = Path("/dev/dri")


@dataclass(frozen=True)
class RenderingChoice:
    """Whether the view is drawn in software, and why (for the log)."""

    software: bool
    reason: str


def choose(
    setting: WebRendering,
    *,
    environ: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    dri_dir: Path = DRI_DIR,
) -> RenderingChoice:
    """The rendering for `setting`. `QT_QUICK_BACKEND` in the environment wins (whoever set it
    meant it); `auto` draws in software only on Linux without a GPU render node, or when
    software OpenGL is asked for (`LIBGL_ALWAYS_SOFTWARE`)."""
    backend = environ.get(QUICK_BACKEND)
    if backend is not None:
        return RenderingChoice(backend == "software", f"{QUICK_BACKEND}={backend}")
    if setting != "auto":
        return RenderingChoice(setting == "software", f"web.rendering = {setting}")
    if not platform.startswith("linux"):
        return RenderingChoice(False, "not Linux: the GPU as Qt chooses")
    if environ.get("LIBGL_ALWAYS_SOFTWARE", "0") not in ("", "0"):
        return RenderingChoice(True, "software OpenGL asked for (LIBGL_ALWAYS_SOFTWARE)")
    if not any(dri_dir.glob("renderD*")):
        return RenderingChoice(True, f"no GPU render node in {dri_dir}")
    return RenderingChoice(False, f"GPU render node in {dri_dir}")


def apply(choice: RenderingChoice, environ: MutableMapping[str, str] = os.environ) -> None:
    """Make Qt use `choice` (before the QApplication exists)."""
    if choice.software:
        environ.setdefault(QUICK_BACKEND, "software")
