"""The effective configuration of a profile as text: one `key = value  # origin` line each."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from viewer.config.loading import Profile


def _flatten(values: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{path}.")
        else:
            yield path, value


def effective_lines(profile: Profile) -> list[str]:
    """The files used, then every key with its value and where it came from. Secret keys hold
    references, never secrets, so they are shown as they are."""
    lines = [f"# profile {profile.name}", *(f"# file {file}" for file in profile.files)]
    for path, value in _flatten(profile.config.model_dump(mode="json")):
        shown = "(unset)" if value is None else json.dumps(value, ensure_ascii=False)
        lines.append(f"{path} = {shown}  # {profile.origin(path)}")
    return lines
