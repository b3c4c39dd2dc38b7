"""The rendering choice made before Qt starts: software only where OpenGL would run on the CPU
anyway (Linux without a GPU render node, or software GL asked for), as configured otherwise,
and never against an explicit QT_QUICK_BACKEND."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.web.rendering import QUICK_BACKEND, RenderingChoice, apply, choose


@pytest.fixture
def dri(tmp_path: Path) -> Path:
    return tmp_path / "dri"


def _with_gpu(dri: Path) -> Path:
    dri.mkdir()
    (dri / "card0").touch()
    (dri / "renderD128").touch()
    return dri


def test_auto_draws_in_software_on_linux_without_a_gpu_render_node(dri: Path) -> None:
    assert choose("auto", environ={}, platform="linux", dri_dir=dri).software
    dri.mkdir()
    (dri / "card0").touch()  # a display controller alone renders nothing
    chosen = choose("auto", environ={}, platform="linux", dri_dir=dri)
    assert chosen.software
    assert str(dri) in chosen.reason


def test_auto_keeps_the_gpu_where_there_is_one_or_off_linux(dri: Path) -> None:
    assert not choose("auto", environ={}, platform="linux", dri_dir=_with_gpu(dri)).software
    assert not choose("auto", environ={}, platform="win32", dri_dir=dri).software
    assert not choose("auto", environ={}, platform="darwin", dri_dir=dri).software


def test_auto_honours_software_opengl_asked_for(dri: Path) -> None:
    gpu = _with_gpu(dri)
    assert choose(
        "auto", environ={"LIBGL_ALWAYS_SOFTWARE": "1"}, platform="linux", dri_dir=gpu
    ).software
    assert choose(
        "auto", environ={"LIBGL_ALWAYS_SOFTWARE": "true"}, platform="linux", dri_dir=gpu
    ).software
    assert not choose(
        "auto", environ={"LIBGL_ALWAYS_SOFTWARE": "0"}, platform="linux", dri_dir=gpu
    ).software


def test_the_setting_decides_when_not_auto(dri: Path) -> None:
    assert choose("software", environ={}, platform="linux", dri_dir=_with_gpu(dri)).software
    assert not choose("gpu", environ={}, platform="linux", dri_dir=dri / "none").software


def test_an_explicit_qt_quick_backend_wins(dri: Path) -> None:
    chosen = choose("software", environ={QUICK_BACKEND: "rhi"}, platform="linux", dri_dir=dri)
    assert chosen == RenderingChoice(False, f"{QUICK_BACKEND}=rhi")
    assert choose(
        "gpu", environ={QUICK_BACKEND: "software"}, platform="linux", dri_dir=dri
    ).software


def test_apply_sets_the_backend_only_for_software_and_never_overrides() -> None:
    environ: dict[str, str] = {}
    apply(RenderingChoice(False, "gpu"), environ)
    assert environ == {}
    apply(RenderingChoice(True, "no GPU"), environ)
    assert environ == {QUICK_BACKEND: "software"}
    chosen = {QUICK_BACKEND: "rhi"}
    apply(RenderingChoice(True, "configured"), chosen)
    assert chosen == {QUICK_BACKEND: "rhi"}
