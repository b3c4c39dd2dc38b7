"""Reading the small local files configuration points to — profiles, site files, `file:`
secrets — with a size bound (a device like /dev/zero, or a wrong path to a huge file, is an
error, never an endless read), and the ssh-style warning for a key file others can read."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Final

from viewer.log import emit, get_logger

_log = get_logger("config")

MAX_CONFIG_BYTES: Final = 1024 * 1024
"""The largest profile or site file read (real ones are a few KiB)."""
MAX_SECRET_BYTES: Final = 256 * 1024
"""The largest `file:` secret read (a PEM key or a certificate chain is a few KiB)."""
_BOM: Final = "\ufeff"


class FileTooLarge(OSError):
    """The file holds more than the bound for its kind."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(f"{path} holds more than {limit // 1024} KiB")
        self.limit = limit


def read_small_text(path: Path, limit: int) -> str:
    """The UTF-8 text of `path` (a leading byte-order mark dropped), at most `limit` bytes;
    `FileTooLarge` past it, `OSError`/`UnicodeDecodeError` as `open` and decoding raise them."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(path, limit)
    return data.decode("utf-8").removeprefix(_BOM)


def warn_if_exposed(path: Path, key_path: str | None) -> bool:
    """Log `config.key_file_exposed` (as ssh warns of an unprotected private key) when a file
    holding a secret can be read by the group or by others; True when it was warned about."""
    if os.name != "posix":
        return False  # Windows: ACLs, not mode bits
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return False
    if not mode & 0o077:
        return False
    emit(_log, "config.key_file_exposed", level=logging.WARNING, file=str(path),
         mode=f"{mode:04o}", setting=key_path or "",
         hint=f"other users can read this secret; run: chmod 600 {path}")  # fmt: skip
    return True


def safe_file_name(name: str) -> str:
    """`name` (a profile's) as one file-name component: letters, digits, `.`, `_` and `-` kept,
    anything else `_`; never empty, `.` or `..`, so it can never leave the directory it is
    joined to."""
    safe = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "._-" else "_" for ch in name)
    return "_" if safe.strip(".") == "" else safe
