"""Typed configuration: pydantic profile models, TOML loading, layering, secret references.

Public API: `load_profile(...) -> Profile` (the merged, validated configuration and where each
value came from), the models in `viewer.config.models`, `resolve_secret(ref)`, and
`ConfigError` whose `problems` say what is wrong and where. Names are imported on first use, so
that `viewer --help` does not pay for pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.config.errors import ConfigError, Origin, Problem
    from viewer.config.loading import ConfigLocations, Profile, load_profile
    from viewer.config.models import ViewerConfig
    from viewer.config.secret_refs import SecretResolutionError, resolve_secret

_HOMES = {
    "ConfigError": "errors",
    "Origin": "errors",
    "Problem": "errors",
    "ConfigLocations": "loading",
    "Profile": "loading",
    "load_profile": "loading",
    "ViewerConfig": "models",
    "SecretResolutionError": "secret_refs",
    "resolve_secret": "secret_refs",
}

__all__ = [
    "ConfigError",
    "ConfigLocations",
    "Origin",
    "Problem",
    "Profile",
    "SecretResolutionError",
    "ViewerConfig",
    "load_profile",
    "resolve_secret",
]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'viewer.config' has no attribute {name!r}")
    return getattr(importlib.import_module(f"viewer.config.{_HOMES[name]}"), name)
