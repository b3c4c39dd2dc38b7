"""`viewer profile signout/reset`: the line said for each thing a profile keeps, and a folder
that cannot be removed said as a sentence, not raised."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from viewer.commands.profile import remove_kept


def test_each_kept_thing_is_said_in_a_sentence(tmp_path: Path) -> None:
    grant = tmp_path / "grant.json"
    grant.write_text("{}")
    web = tmp_path / "web"
    (web / "Cookies").mkdir(parents=True)
    assert remove_kept("stored sign-in", grant) == (f"removed the stored sign-in: {grant}", True)
    assert remove_kept("web profile", web) == (f"removed the web profile: {web}", True)
    assert not grant.exists()
    assert not web.exists()
    assert remove_kept("stored sign-in", grant) == (f"no stored sign-in to remove: {grant}", True)


def test_a_folder_that_cannot_be_removed_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = tmp_path / "web"
    web.mkdir()

    def refuse(path: Path) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", refuse)
    line, gone = remove_kept("web profile (cookies, cache)", web)
    assert not gone
    assert line == (
        f"could not remove the web profile (cookies, cache) (Permission denied): {web} — make "
        "the folder writable for this user, or delete it by hand"
    )
