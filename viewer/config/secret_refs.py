"""Reading the secrets that configuration files refer to (`env:NAME`, `keyring:SERVICE/USER`,
`file:PATH`). Errors name the key path and the reference, never the secret."""

from __future__ import annotations

import os
from pathlib import Path

from viewer.config.errors import MASK
from viewer.config.fields import REFERENCE_HINT, parse_secret_ref
from viewer.config.files import MAX_SECRET_BYTES, FileTooLarge, read_small_text, warn_if_exposed


class SecretResolutionError(Exception):
    """A secret reference could not be read; the message says which one and what to do."""

    def __init__(
        self, reference: str, problem: str, key_path: str | None = None, *, shown: bool = True
    ) -> None:
        # A malformed reference may be a secret written inline: then it is not shown.
        text = repr(reference) if shown else MASK
        where = f"{key_path} = {text}" if key_path else text
        super().__init__(f"{where}: {problem}")
        self.reference = reference
        self.key_path = key_path
        self.problem = problem


def _from_env(name: str) -> str | None:
    return os.environ.get(name) or None


def _from_keyring(target: str) -> str | None:
    import keyring  # imported here: keyring backends are slow to import
    from keyring.errors import KeyringError, NoKeyringError

    service, _, user = target.partition("/")
    try:
        value = keyring.get_password(service, user)
    except NoKeyringError:
        raise RuntimeError(
            "this machine has no OS keyring the viewer can use; give the secret as env:NAME or "
            "file:PATH instead"
        ) from None
    except KeyringError as error:
        raise RuntimeError(f"the OS keyring failed: {type(error).__name__}") from None
    return str(value) if value else None


def _from_file(target: str, key_path: str | None = None) -> str | None:
    path = Path(target).expanduser()
    try:
        text = read_small_text(path, MAX_SECRET_BYTES)
    except FileNotFoundError:
        raise RuntimeError(f"file {path} does not exist") from None
    except FileTooLarge:
        raise RuntimeError(
            f"file {path} holds more than {MAX_SECRET_BYTES // 1024} KiB: not a secret; check "
            "the path"
        ) from None
    except IsADirectoryError:
        raise RuntimeError(f"{path} is a directory; name the file that holds the secret") from None
    except UnicodeDecodeError:
        raise RuntimeError(f"file {path} is not text (UTF-8); check the path") from None
    except PermissionError:
        raise RuntimeError(
            f"file {path} cannot be read by this user (permission denied); let the user the "
            "viewer runs as read it"
        ) from None
    except OSError as error:
        raise RuntimeError(f"file {path} cannot be read ({error.strerror or error})") from None
    warn_if_exposed(path, key_path)
    return text.rstrip("\r\n") or None


_EMPTY_HINTS = {
    "env": "set the environment variable {target}",
    "keyring": "store it with: keyring set {service} {user}",
    "file": "put the secret in {target}",
}


def resolve_secret(reference: str, key_path: str | None = None) -> str:
    """Return the secret `reference` points to.

    `key_path` (e.g. `auth.private_key`) is only used in the error message. Raises
    `SecretResolutionError` when the reference is malformed, missing or empty.
    """
    try:
        scheme, target = parse_secret_ref(reference)
    except ValueError:
        raise SecretResolutionError(
            reference, f"not a secret reference; {REFERENCE_HINT}", key_path, shown=False
        ) from None
    try:
        if scheme == "file":
            value = _from_file(target, key_path)
        else:
            value = _from_env(target) if scheme == "env" else _from_keyring(target)
    except RuntimeError as error:
        raise SecretResolutionError(reference, str(error), key_path) from None
    if value is None:
        service, _, user = target.partition("/")
        hint = _EMPTY_HINTS[scheme].format(target=target, service=service, user=user)
        raise SecretResolutionError(reference, f"no secret there; {hint}", key_path)
    return value
