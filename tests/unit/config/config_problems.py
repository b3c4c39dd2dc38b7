"""Helpers of the config tests: the problems a profile text gives, and the one problem expected."""

from __future__ import annotations

from pathlib import Path

from viewer.config.errors import Problem
from viewer.config.loading import load_layers


def problems_in(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    _, _, problems = load_layers(site_file=None, user_file=path)
    return problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [p.render() for p in problems]
    return problems[0]
