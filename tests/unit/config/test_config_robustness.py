"""Bad input never crashes the loader: any TOML text and any values end in a config or in
located problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from viewer.config.loading import load_layers
from viewer.config.locate import key_positions
from viewer.config.paths import all_keys

KEY_PATHS = sorted(all_keys())
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(KEY_PATHS) | st.text(max_size=12), VALUES, max_size=6))
def test_any_values_give_a_config_or_problems(overrides: dict[str, Any]) -> None:
    config, _, problems = load_layers(site_file=None, user_file=None, overrides=overrides)
    assert config is not None or problems
    for problem in problems:
        assert problem.render()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_scanned_without_crashing(text: str) -> None:
    for path, (line, column) in key_positions(text).items():
        assert path
        assert 1 <= line <= text.count("\n") + 1
        assert column >= 1


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_file_content_gives_a_config_or_problems(tmp_path_factory: Any, text: str) -> None:
    path: Path = tmp_path_factory.mktemp("robust") / "profile.toml"
    path.write_text(text, encoding="utf-8")
    config, _, problems = load_layers(site_file=None, user_file=path)
    assert config is not None or problems


TOML_SCALARS = st.one_of(st.booleans(), st.integers(-10, 10**6), st.text(max_size=20))
TOML_VALUES = st.one_of(TOML_SCALARS, st.lists(TOML_SCALARS, max_size=3))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(KEY_PATHS), TOML_VALUES, min_size=1, max_size=6))
def test_problems_in_a_written_file_point_at_their_line(
    tmp_path_factory: Any, dotted: dict[str, Any]
) -> None:
    nested: dict[str, Any] = {}
    for key_path, value in dotted.items():
        *tables, name = key_path.split(".")
        target = nested
        for table in tables:
            target = target.setdefault(table, {})
            # a table and a value at the same path cannot both be written
            assume(isinstance(target, dict))
        assume(name not in target)
        target[name] = value
    path: Path = tmp_path_factory.mktemp("written") / "profile.toml"
    path.write_text(tomli_w.dumps(nested), encoding="utf-8")
    _, _, problems = load_layers(site_file=None, user_file=path)
    for problem in problems:
        assert problem.origin is not None
        assert problem.origin.file == path
        if problem.key_path.split(".")[0] in nested and problem.code != "missing":
            assert problem.origin.line is not None, problem.render()
