"""Secret references: reading env, file and keyring secrets, and errors that never leak them."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.errors import KeyringLocked, NoKeyringError

from viewer.config.secret_refs import SecretResolutionError, resolve_secret

SECRET = "s3cr3t-value-XYZ"


def test_env_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIEWER_TEST_KEY", SECRET)
    assert resolve_secret("env:VIEWER_TEST_KEY") == SECRET


def test_file_reference_drops_the_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text(f"line1\n{SECRET}\n", encoding="utf-8")
    assert resolve_secret(f"file:{path}") == f"line1\n{SECRET}"


def test_keyring_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []

    def get_password(service: str, user: str) -> str:
        calls.append((service, user))
        return SECRET

    monkeypatch.setattr(keyring, "get_password", get_password)
    assert resolve_secret("keyring:viewer/wall-1") == SECRET
    assert calls == [("viewer", "wall-1")]


def test_missing_env_names_key_path_and_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIEWER_TEST_MISSING", raising=False)
    with pytest.raises(SecretResolutionError) as caught:
        resolve_secret("env:VIEWER_TEST_MISSING", "auth.private_key")
    message = str(caught.value)
    assert "auth.private_key" in message
    assert "env:VIEWER_TEST_MISSING" in message
    assert "set the environment variable VIEWER_TEST_MISSING" in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SecretResolutionError, match="does not exist"):
        resolve_secret(f"file:{tmp_path / 'absent.pem'}", "auth.private_key")


def test_a_file_reference_to_a_folder_or_to_binary_says_which(tmp_path: Path) -> None:
    with pytest.raises(SecretResolutionError, match="is a directory; name the file"):
        resolve_secret(f"file:{tmp_path}", "auth.private_key")
    binary = tmp_path / "key.der"
    binary.write_bytes(b"0\x82\x04\xa4\xff\xfe")
    with pytest.raises(SecretResolutionError, match=r"is not text \(UTF-8\); check the path"):
        resolve_secret(f"file:{binary}", "auth.private_key")


def test_no_keyring_on_the_machine_points_at_the_other_references(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def none_here(service: str, user: str) -> str:
        raise NoKeyringError

    monkeypatch.setattr(keyring, "get_password", none_here)
    with pytest.raises(SecretResolutionError, match=r"no OS keyring .* env:NAME or file:PATH"):
        resolve_secret("keyring:viewer/wall-1", "auth.api_key")


def test_empty_keyring_entry_says_how_to_store_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "get_password", lambda service, user: None)
    with pytest.raises(SecretResolutionError, match="keyring set viewer wall-1"):
        resolve_secret("keyring:viewer/wall-1", "auth.api_key")


def test_keyring_failure_is_a_resolution_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(service: str, user: str) -> str:
        raise KeyringLocked(SECRET)

    monkeypatch.setattr(keyring, "get_password", locked)
    with pytest.raises(SecretResolutionError) as caught:
        resolve_secret("keyring:viewer/wall-1", "auth.api_key")
    assert "KeyringLocked" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_an_inline_secret_is_refused_without_echoing_it() -> None:
    with pytest.raises(SecretResolutionError) as caught:
        resolve_secret(SECRET, "auth.api_key")
    assert "env:NAME" in str(caught.value)
    assert SECRET not in str(caught.value)
    assert caught.value.key_path == "auth.api_key"
