"""The generated configuration reference: complete, and checked in up to date."""

from __future__ import annotations

from pathlib import Path

from viewer.config.docs import REFERENCE_PATH, render_reference
from viewer.config.paths import all_keys

ROOT = Path(__file__).resolve().parents[3]


def test_checked_in_reference_is_up_to_date() -> None:
    checked_in = (ROOT / REFERENCE_PATH).read_text(encoding="utf-8")
    assert checked_in == render_reference(), (
        "docs/configuration.md is stale: run `viewer config docs --output docs/configuration.md`"
    )


def test_reference_documents_every_key_and_auth_mode() -> None:
    text = render_reference()
    for path, info in all_keys().items():
        name = path.rsplit(".", 1)[-1]
        if info.model is None and path != "auth" and name != "mode":
            assert f"| `{name}` |" in text, path
        assert info.field.description, f"{path} has no description"
    for mode in ("cloud-jwt", "qseow-ticket", "qseow-header", "anonymous", "api-key"):
        assert f'### mode = "{mode}"' in text


def test_keys_a_locally_signed_jwt_needs_are_documented_as_required() -> None:
    """What the reference calls required is what the models refuse to do without (issue 12)."""
    text = render_reference()
    for key in ("subject", "email", "issuer", "kid", "private_key"):
        assert f"| `{key}` | " in text
        row = next(line for line in text.splitlines() if line.startswith(f"| `{key}` |"))
        assert "**required** unless `token_url` is set" in row, row
    name = next(line for line in text.splitlines() if line.startswith("| `name` |"))
    assert "unset" in name


def test_a_cloud_jwt_profile_without_email_is_refused() -> None:
    import pytest
    from pydantic import ValidationError

    from viewer.config.models import CloudJwtAuth

    with pytest.raises(ValidationError, match="email"):
        CloudJwtAuth(mode="cloud-jwt", private_key="env:K", kid="k", issuer="i", subject="s")


def test_the_exit_shortcut_is_documented_as_quitting_the_kiosk() -> None:
    """The shortcut quits the viewer (KioskShell.exit_requested -> the ordered shutdown)."""
    row = next(ln for ln in render_reference().splitlines() if ln.startswith("| `exit_shortcut` |"))
    assert "quits the kiosk" in row
    assert "leaves kiosk mode" not in row
