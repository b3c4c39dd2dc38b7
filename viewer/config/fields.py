"""Reusable validated field types of the configuration: secret references, colours, key
sequences, identities, URL prefixes. Each raises a `PydanticCustomError` whose type names the
problem so the error presenter can add a hint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Final
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

SECRET_SCHEMES: Final = ("env", "keyring", "file")
REFERENCE_HINT: Final = (
    "give a reference instead of the value: env:NAME, keyring:SERVICE/USER or file:PATH"
)

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_IDENTITY = re.compile(r"[A-Za-z0-9._-]{1,64}")
_PREFIX = re.compile(r"[A-Za-z0-9_.~-]*")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")

_MODIFIERS: Final = frozenset({"ctrl", "shift", "alt", "meta", "num"})
_NAMED_KEYS: Final = frozenset(
    {
        "esc", "escape", "tab", "backtab", "backspace", "return", "enter", "ins", "insert",
        "del", "delete", "pause", "print", "sysreq", "home", "end", "left", "up", "right",
        "down", "pgup", "pgdown", "pageup", "pagedown", "capslock", "numlock", "scrolllock",
        "menu", "help", "space", "back", "forward", "stop", "refresh", "f1", "f2", "f3", "f4",
        "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15", "f16", "f17",
        "f18", "f19", "f20", "f21", "f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29",
        "f30", "f31", "f32", "f33", "f34", "f35",
    }
)  # fmt: skip
_MAX_CHORDS: Final = 4


@dataclass(frozen=True)
class SecretMarker:
    """Annotation metadata marking a field whose value is a secret reference (masked in errors)."""


SECRET: Final = SecretMarker()


def parse_secret_ref(value: str) -> tuple[str, str]:
    """Split a secret reference into (scheme, target); raise `secret_inline` if it is not one."""
    scheme, sep, target = value.partition(":")
    valid = bool(sep) and scheme in SECRET_SCHEMES and bool(target)
    if valid and scheme == "env":
        valid = _ENV_NAME.fullmatch(target) is not None
    if valid and scheme == "keyring":
        service, slash, user = target.partition("/")
        valid = bool(service and slash and user)
    if not valid:
        raise PydanticCustomError(
            "secret_inline",
            "not a secret reference; secrets are never written inline",
        )
    return scheme, target


def _check_secret_ref(value: str) -> str:
    parse_secret_ref(value)
    return value


def _check_hex_color(value: str) -> str:
    if _HEX_COLOR.fullmatch(value) is None:
        raise PydanticCustomError("hex_color", "not a hex colour like #1a2b3c")
    return value.lower()


def _check_identity(value: str) -> str:
    if _IDENTITY.fullmatch(value) is None:
        raise PydanticCustomError(
            "identity", "an identity is 1-64 characters of letters, digits, '.', '_' or '-'"
        )
    return value


def _strip_slashes(value: object) -> object:
    return value.strip("/") if isinstance(value, str) else value


def _check_prefix(value: str) -> str:
    if _PREFIX.fullmatch(value) is None:
        raise PydanticCustomError(
            "proxy_prefix", "a virtual-proxy prefix is one path segment without '/' or spaces"
        )
    return value


def _check_language(value: str) -> str:
    if _LANGUAGE.fullmatch(value) is None:
        raise PydanticCustomError("language", "not a language tag like en or de-DE")
    return value


def _is_key(part: str) -> bool:
    return len(part) == 1 or part.lower() in _NAMED_KEYS


def _check_chord(chord: str) -> bool:
    # "Ctrl++" means Ctrl and the plus key: a trailing empty part after '+' stands for '+'.
    parts = chord.split("+")
    if chord.endswith("++"):
        parts = [*parts[:-2], "+"]
    *modifiers, key = [part.strip() for part in parts]
    return (
        bool(key)
        and _is_key(key)
        and all(m.lower() in _MODIFIERS for m in modifiers)
        and len({m.lower() for m in modifiers}) == len(modifiers)
    )


def check_key_sequence(value: str) -> str:
    """Validate a Qt portable key sequence string ("Ctrl+Shift+Q", "F11", "Ctrl+K, Ctrl+Q")
    syntactically, without importing Qt."""
    chords = [chord.strip() for chord in value.split(", ")] if value.strip() else []
    if not chords or len(chords) > _MAX_CHORDS or not all(_check_chord(c) for c in chords):
        raise PydanticCustomError(
            "key_sequence", "not a key sequence like Ctrl+Shift+Q, F11 or Ctrl+K, Ctrl+Q"
        )
    return value


SecretRef = Annotated[str, AfterValidator(_check_secret_ref), SECRET]
"""A reference to a secret (`env:NAME`, `keyring:SERVICE/USER`, `file:PATH`), never the secret."""

HexColor = Annotated[str, AfterValidator(_check_hex_color)]
"""A colour as #rgb, #rrggbb or #rrggbbaa."""

KeySequence = Annotated[str, AfterValidator(check_key_sequence)]
"""A Qt portable key sequence string."""

Identity = Annotated[str, AfterValidator(_check_identity)]
"""A Qlik engine session identity (one URL path segment)."""

ProxyPrefix = Annotated[str, BeforeValidator(_strip_slashes), AfterValidator(_check_prefix)]
"""A virtual-proxy prefix, stored without slashes."""

LanguageTag = Annotated[str, AfterValidator(_check_language)]
"""A BCP 47-ish language tag."""


def _url_checker(schemes: tuple[str, ...]) -> AfterValidator:
    def check(value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in schemes or not parts.hostname:
            raise PydanticCustomError(
                "url_scheme",
                "not a URL starting with {schemes}",
                {"schemes": " or ".join(f"{s}://" for s in schemes)},
            )
        try:
            _ = parts.port
        except ValueError:
            raise PydanticCustomError("url_port", "the URL has an invalid port") from None
        return value.rstrip("/")

    return AfterValidator(check)


WebUrl = Annotated[str, _url_checker(("https", "http"))]
"""An http(s) URL, stored without a trailing slash."""

ProxyUrl = Annotated[str, _url_checker(("http", "https", "socks5", "socks5h"))]
"""An HTTP or SOCKS proxy URL."""
