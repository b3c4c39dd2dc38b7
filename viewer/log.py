"""Logging for every subsystem: structured events, text or JSON lines, and secret redaction.

Every subsystem takes its logger from `get_logger("engine")` (-> ``viewer.engine``) and reports
things that happened with `emit(logger, "engine.opened", code=1000)`. Redaction happens here,
in the formatter, for every record and every handler: callers never have to remember it.
"""

from __future__ import annotations

import io
import json
import logging
import logging.handlers
import os
import re
import sys
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, Literal, TextIO

LogFormat = Literal["text", "json"]

ROOT_LOGGER: Final = "viewer"
REDACTED: Final = "«redacted»"

# Field names whose values are secrets wherever they appear (case-insensitive substring match).
_SECRET_KEY_PARTS: Final = (
    "authorization",
    "cookie",
    "csrf",
    "jwt",
    "key",
    "passwd",
    "password",
    "secret",
    "session_id",
    "sessionid",
    "ticket",
    "token",
    "xrf",
)
# Field names that contain a secret-looking part but are not secrets.
_PUBLIC_KEYS: Final = frozenset(
    {
        "kid",
        "key_id",
        "key_path",
        "keyring_service",
        "cookie_name",
        "token_url",
        "ticket_url",
        "url_without_secrets",
    }
)

_PATTERNS: Final = (
    # Authorization: Bearer xxx / Basic xxx, in headers or reprs
    re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:bearer|basic)?\s*)([^\s'\",}]+)"),
    re.compile(r"(?i)(\bbearer\s+)([A-Za-z0-9._~+/=-]+)"),
    # Cookie / Set-Cookie headers: keep the names, drop the values
    re.compile(r"(?i)((?:set-)?cookie['\"]?\s*[:=]\s*['\"]?[^=;\s'\"]+=)([^;\s'\",]+)"),
    # well-known Qlik cookie and parameter names carrying secrets
    re.compile(
        r"(?i)((?:qlikTicket|qlik-csrf-token|X-Qlik-Session[\w-]*|eas\.sid(?:\.sig)?|"
        r"_csrfToken(?:\.sig)?|xrfkey|api[_-]?key|access_token|id_token|refresh_token|"
        r"client_secret|password)['\"]?\s*[=:]\s*['\"]?)([^&\s;'\",}]+)"
    ),
    # JWTs anywhere (header.payload.signature, base64url)
    re.compile(r"()(eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)"),
    # PEM private keys
    re.compile(r"()(-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)"),
)

_known_secrets: set[str] = set()
_known_lock = threading.Lock()
MIN_KNOWN_SECRET: Final = 12
"""Shorter values are not searched for in free text: a server-chosen token that is a common
word ("LIVE") would otherwise be cut out of every line. They are still redacted by key (a
secret-named field, a cookie header, a token parameter), which is where they travel."""


def register_secret(value: str | None) -> None:
    """Remember a secret value so that it is redacted wherever it shows up in a log line
    (values shorter than MIN_KNOWN_SECRET are left to the redaction by key)."""
    if value and len(value) >= MIN_KNOWN_SECRET:
        with _known_lock:
            _known_secrets.add(value)


def is_secret_key(name: str) -> bool:
    """True when a field called `name` holds a secret (its value must never be logged)."""
    lowered = name.lower()
    if lowered in _PUBLIC_KEYS:
        return False
    return any(part in lowered for part in _SECRET_KEY_PARTS)


def scrub_text(text: str) -> str:
    """Remove secrets from free text: known secret values and well-known secret shapes."""
    with _known_lock:
        known = sorted(_known_secrets, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


def scrub_value(value: object, key: str | None = None) -> object:
    """Redact a structured value: secret-named fields are masked, strings are scrubbed."""
    if key is not None and is_secret_key(key) and value not in (None, "", [], {}):
        return REDACTED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {str(k): scrub_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub_value(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub_text(str(value))


def get_logger(subsystem: str) -> logging.Logger:
    """The logger of one subsystem, e.g. ``get_logger("engine")`` -> ``viewer.engine``."""
    return logging.getLogger(f"{ROOT_LOGGER}.{subsystem}")


def emit(
    logger: logging.Logger, event: str, /, *, level: int = logging.INFO, **fields: object
) -> None:
    """Log a structured event (contract 2 in DESIGN.md): a name plus JSON-serialisable fields."""
    logger.log(level, event, extra={"event": event, "fields": fields})


def _record_event(record: logging.LogRecord) -> tuple[str, dict[str, object]]:
    event = getattr(record, "event", None)
    fields = getattr(record, "fields", None)
    if isinstance(event, str):
        return event, dict(fields) if isinstance(fields, Mapping) else {}
    return "log", {"message": record.getMessage()}


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, event and the event's fields, redacted."""

    def format(self, record: logging.LogRecord) -> str:
        event, fields = _record_event(record)
        line: dict[str, object] = {
            "ts": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": event,
        }
        for name, value in fields.items():
            if name not in line:
                line[name] = scrub_value(value, name)
        if record.exc_info:
            line["exception"] = scrub_text(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Human-readable lines: time, level, logger, event and key=value fields, redacted."""

    def format(self, record: logging.LogRecord) -> str:
        event, fields = _record_event(record)
        clock = datetime.fromtimestamp(record.created).strftime("%H:%M:%S.%f")[:-3]
        if event == "log":
            body = scrub_text(str(fields["message"]))
        else:
            parts = [f"{k}={json.dumps(scrub_value(v, k), default=str)}" for k, v in fields.items()]
            body = " ".join([event, *parts])
        text = f"{clock} {record.levelname:<7} {record.name}: {body}"
        if record.exc_info:
            text += "\n" + scrub_text(self.formatException(record.exc_info))
        return text


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log only its owner can read: each file (the first and every one a rotation
    starts) is created 0600, whatever the umask."""

    def _open(self) -> io.TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if os.name == "posix":
            os.fchmod(descriptor, 0o600)  # an older file from before this rule
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)


def private_log_dir(directory: Path) -> None:
    """Create the log directory 0700; the viewer's own (default) directory is made 0700 even if
    it exists already. A directory the user chose elsewhere is only created, never changed."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix" and directory == default_log_dir():
        directory.chmod(0o700)


def default_log_dir() -> Path:
    """Where the rotating log file lives: the platform's user log directory for the viewer."""
    import platformdirs  # local import: cheap, but only needed when logging to a file

    return Path(platformdirs.user_log_dir("viewer", appauthor=False))


THIRD_PARTY_LOGGERS: Final = ("httpx", "httpcore", "websockets", "aiohttp", "asyncio", "qasync")


def configure(
    *,
    log_format: LogFormat = "text",
    level: str = "INFO",
    log_file: Path | None = None,
    stream: TextIO | None = None,
) -> None:
    """Set up logging once per process: stderr in the chosen format, plus an optional rotating
    JSON file. The viewer's loggers log at `level`; the libraries it uses (httpx, websockets, ...)
    go through the same redacting handlers at WARNING or above. Calling it again replaces the
    handlers it installed."""
    formatter: logging.Formatter = JsonFormatter() if log_format == "json" else TextFormatter()
    console = logging.StreamHandler(stream or sys.stderr)
    console.setFormatter(JournalFormatter(formatter) if to_journal(console.stream) else formatter)
    handlers: list[logging.Handler] = [console]
    if log_file is not None:
        private_log_dir(log_file.parent)
        rotating = PrivateRotatingFileHandler(
            log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
        rotating.setFormatter(JsonFormatter())
        handlers.append(rotating)
    own_level = logging.getLevelName(level.upper())
    for name in (ROOT_LOGGER, *THIRD_PARTY_LOGGERS):
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            if getattr(old, "_viewer_handler", False):
                logger.removeHandler(old)
                old.close()
        for handler in handlers:
            handler._viewer_handler = True  # type: ignore[attr-defined]
            logger.addHandler(handler)
        logger.setLevel(own_level if name == ROOT_LOGGER else max(own_level, logging.WARNING))
        logger.propagate = False


# syslog priorities journald reads from a "<N>" line prefix (sd-daemon(3))
_JOURNAL_PRIORITY: Final = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4,
                            logging.ERROR: 3, logging.CRITICAL: 2}  # fmt: skip


def to_journal(stream: TextIO) -> bool:
    """True when `stream` goes to journald: systemd sets JOURNAL_STREAM to its device:inode."""
    device, _, inode = os.environ.get("JOURNAL_STREAM", "").partition(":")
    try:
        status = os.fstat(stream.fileno())
        return (status.st_dev, status.st_ino) == (int(device), int(inode))
    except (OSError, ValueError, AttributeError):
        return False


class JournalFormatter(logging.Formatter):
    """Another formatter's lines with the record's syslog priority in front (`<6>{...}`), which
    journald takes as the entry's level and strips; one line per record."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self._inner = inner

    def format(self, record: logging.LogRecord) -> str:
        priority = _JOURNAL_PRIORITY.get(
            record.levelno, 6 if record.levelno < logging.WARNING else 3
        )
        return f"<{priority}>" + self._inner.format(record).replace("\n", "\n" + f"<{priority}>")
