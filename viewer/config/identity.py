"""The stable engine-session identity of a profile: generated once, kept in the user state
directory, so a restarted viewer re-attaches to its engine session instead of opening a new one."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

from viewer.config.files import safe_file_name

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def identity_file(state_dir: Path, profile_name: str, window: int = 0) -> Path:
    """Where the identity of `profile_name` (and window) is kept."""
    return _identity_file(state_dir, profile_name, window)


def _identity_file(state_dir: Path, profile_name: str, window: int) -> Path:
    safe = safe_file_name(profile_name)
    suffix = "" if window == 0 else f".{window}"
    return state_dir / "identities" / f"{safe}{suffix}"


def stable_identity(state_dir: Path, profile_name: str, window: int = 0) -> str:
    """The identity stored for `profile_name` (and window number), created on first use."""
    path = _identity_file(state_dir, profile_name, window)
    try:
        stored = path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        stored = ""
    if stored and not _SAFE_NAME.search(stored):
        return stored
    identity = f"viewer-{uuid.uuid4().hex}"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(identity + "\n", encoding="ascii")
    temporary.replace(path)
    return identity
