"""Finding the line and column of keys in TOML text."""

from __future__ import annotations

from viewer.config.locate import key_positions, position_of

TEXT = """\
# a comment
title = "x"

[tenant]
base_url = "https://a"
  app_id = 'app'
sheets = [
  "one",
  "two = 2",
]
single.opt = ["currsel"]

[ "auth" ]
mode = "cloud-jwt"
note = \"\"\"
fake = 1
\"\"\"
inline = { kid = "k" }

[[extra.items]]
name = "a"
[[extra.items]]
name = "b"
"""


def test_keys_and_headers_get_their_line_and_column() -> None:
    positions = key_positions(TEXT)
    assert positions["title"] == (2, 1)
    assert positions["tenant"] == (4, 2)
    assert positions["tenant.base_url"] == (5, 1)
    assert positions["tenant.app_id"] == (6, 3)
    assert positions["tenant.single.opt"] == (11, 1)
    assert positions["auth"] == (13, 3)
    assert positions["auth.mode"] == (14, 1)
    assert positions["auth.inline"] == (18, 1)
    assert positions["extra.items[1].name"] == (23, 1)


def test_lines_inside_multiline_values_are_not_keys() -> None:
    positions = key_positions(TEXT)
    assert "tenant.two" not in positions
    assert "auth.fake" not in positions


def test_unseen_keys_fall_back_to_the_enclosing_key_or_table() -> None:
    positions = key_positions(TEXT)
    assert position_of(positions, "auth.inline.kid") == (18, 1)
    assert position_of(positions, "tenant.sheets[1]") == (7, 1)
    assert position_of(positions, "tenant.missing") == (4, 2)
    assert position_of(positions, "nowhere.at.all") is None
