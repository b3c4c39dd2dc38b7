"""The configuration models: defaults, auth modes and their fields, and field validation."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from viewer.config import models
from viewer.config.fields import check_key_sequence

TENANT = {"base_url": "https://acme.eu.qlikcloud.com/", "app_id": "app-1"}
QSEOW = {"kind": "qseow", "base_url": "https://qlik.example.com", "app_id": "app-1"}
CERTS = {
    "client_cert": "/etc/viewer/client.pem",
    "client_key": "/etc/viewer/client_key.pem",
    "user_directory": "CORP",
    "user_id": "wall1",
}


def config(tenant: dict[str, Any] | None = None, **sections: Any) -> models.ViewerConfig:
    return models.ViewerConfig.model_validate({"tenant": tenant or TENANT, **sections})


def error_types(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        models.ViewerConfig.model_validate(data)
    return [(tuple(e["loc"]), e["type"]) for e in caught.value.errors()]


def test_minimal_profile_gets_defaults_everywhere() -> None:
    profile = config()
    assert profile.tenant.base_url == "https://acme.eu.qlikcloud.com"  # trailing slash dropped
    assert profile.tenant.kind == "cloud"
    assert profile.tenant.identity is None
    assert profile.network.reconnect_min_s < profile.network.reconnect_max_s
    assert profile.kiosk.exit_shortcut == "Ctrl+Shift+Q"
    assert profile.branding.messages.offline
    assert profile.web.persistent_profile is True


@pytest.mark.parametrize(
    ("tenant", "mode"),
    [(TENANT, "cloud-interactive"), (QSEOW, "qseow-interactive")],
)
def test_default_auth_mode_follows_tenant_kind(tenant: dict[str, Any], mode: str) -> None:
    assert config(tenant).auth.mode == mode


@pytest.mark.parametrize(
    ("tenant", "auth", "model"),
    [
        (TENANT, {"mode": "cloud-interactive"}, models.CloudInteractiveAuth),
        (
            TENANT,
            {"mode": "cloud-jwt", "private_key": "env:K", "kid": "k", "issuer": "i",
             "subject": "s", "email": "s@example.com"},
            models.CloudJwtAuth,
        ),
        (TENANT, {"mode": "cloud-jwt", "token_url": "https://idp/token"}, models.CloudJwtAuth),
        (TENANT, {"mode": "api-key", "api_key": "keyring:viewer/api"}, models.CloudApiKeyAuth),
        (QSEOW, {"mode": "qseow-ticket", **CERTS}, models.QseowTicketAuth),
        (QSEOW, {"mode": "qseow-ticket", "ticket_url": "https://broker/t"}, models.QseowTicketAuth),
        (QSEOW, {"mode": "qseow-session", **CERTS}, models.QseowSessionAuth),
        (
            QSEOW,
            {"mode": "qseow-header", "header_name": "X-User", "user_id": "wall1"},
            models.QseowHeaderAuth,
        ),
        (
            QSEOW,
            {"mode": "qseow-jwt", "private_key": "file:/k.pem", "user_id": "wall1"},
            models.QseowJwtAuth,
        ),
        (QSEOW, {"mode": "qseow-interactive"}, models.QseowInteractiveAuth),
        (QSEOW, {"mode": "anonymous"}, models.AnonymousAuth),
        (TENANT, {"mode": "anonymous"}, models.AnonymousAuth),
    ],
)  # fmt: skip
def test_each_auth_mode_accepts_its_fields(
    tenant: dict[str, Any], auth: dict[str, Any], model: type[object]
) -> None:
    assert isinstance(config(tenant, auth=auth).auth, model)


@pytest.mark.parametrize(
    ("tenant", "auth", "error"),
    [
        (TENANT, {"mode": "cloud-jwt", "private_key": "env:K"}, "jwt_source"),
        (QSEOW, {"mode": "qseow-jwt", "kid": "k"}, "jwt_source"),
        (QSEOW, {"mode": "qseow-ticket", "user_id": "u"}, "qps_fields"),
        (QSEOW, {"mode": "qseow-session", "ticket_url": "https://b"}, "extra_forbidden"),
        (QSEOW, {"mode": "qseow-header", "user_id": "u"}, "missing"),
        (TENANT, {"mode": "api-key"}, "missing"),
        (TENANT, {"mode": "cloud-jwt", "token_url": "https://t", "algorithm": "HS256"},
         "literal_error"),
        (TENANT, {"mode": "cloud-jwt", "token_url": "https://t", "lifetime_s": 7200},
         "less_than_equal"),
        (QSEOW, {"mode": "qseow-header", "header_name": "X", "user_id": "u",
                 "value_template": "{user}"}, "header_template"),
        (TENANT, {"mode": "qseow-interactive"}, "auth_kind"),
        (QSEOW, {"mode": "cloud-interactive"}, "auth_kind"),
        (TENANT, {"mode": "password"}, "union_tag_invalid"),
        (TENANT, {"kid": "k"}, "union_tag_not_found"),
    ],
)  # fmt: skip
def test_auth_mode_rejects_what_it_cannot_use(
    tenant: dict[str, Any], auth: dict[str, Any], error: str
) -> None:
    assert error in [kind for _, kind in error_types({"tenant": tenant, "auth": auth})]


@pytest.mark.parametrize(
    "value", ["hunter2", "env:", "env:1BAD", "keyring:service", "keyring:/user", "file:", "vault:x"]
)
def test_secret_fields_take_only_references(value: str) -> None:
    errors = error_types({"tenant": TENANT, "auth": {"mode": "api-key", "api_key": value}})
    assert errors == [(("auth", "api-key", "api_key"), "secret_inline")]


def test_unknown_keys_are_errors_at_every_level() -> None:
    errors = error_types(
        {"tenant": {**TENANT, "appid": "x"}, "kiosk": {"enable": True}, "extra": {}}
    )
    assert set(errors) == {
        (("tenant", "appid"), "extra_forbidden"),
        (("kiosk", "enable"), "extra_forbidden"),
        (("extra",), "extra_forbidden"),
    }


@pytest.mark.parametrize(
    ("section", "values", "error"),
    [
        ("tenant", {**TENANT, "base_url": "ftp://x"}, "url_scheme"),
        ("tenant", {**TENANT, "base_url": "https://x:99999"}, "url_port"),
        ("tenant", {**TENANT, "identity": "has space"}, "identity"),
        ("tenant", {**TENANT, "prefix": "a/b"}, "proxy_prefix"),
        ("tenant", {**TENANT, "kind": "saas"}, "literal_error"),
        ("tenant", {**TENANT, "single": {"opt": ["nosuch"]}}, "literal_error"),
        ("branding", {"primary_color": "green"}, "hex_color"),
        ("branding", {"language": "english!"}, "language"),
        ("network", {"reconnect_min_s": 60, "reconnect_max_s": 5}, "backoff_order"),
        ("network", {"reconnect_jitter": 2}, "less_than_equal"),
        ("network", {"http_proxy": "proxy:8080"}, "url_scheme"),
        ("network", {"keepalive_interval_s": "fast"}, "float_parsing"),
        ("kiosk", {"hide_cursor_after_s": -1}, "greater_than_equal"),
        ("web", {"allowed_origins": ["idp.example.com"]}, "url_scheme"),
    ],
)
def test_field_validation(section: str, values: dict[str, Any], error: str) -> None:
    data: dict[str, Any] = {"tenant": TENANT, section: values}
    assert error in [kind for _, kind in error_types(data)]


def test_prefix_is_stored_without_slashes_and_colours_lower_case() -> None:
    profile = config({**TENANT, "prefix": "/kiosk/"}, branding={"primary_color": "#ABCDEF"})
    assert profile.tenant.prefix == "kiosk"
    assert profile.branding.primary_color == "#abcdef"


def test_models_are_immutable() -> None:
    profile = config()
    with pytest.raises(ValidationError):
        profile.tenant.app_id = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    "sequence", ["Ctrl+Shift+Q", "F11", "Esc", "Ctrl+K, Ctrl+Q", "Alt+F4", "Meta+Space", "Ctrl++"]
)
def test_valid_key_sequences(sequence: str) -> None:
    assert check_key_sequence(sequence) == sequence


@pytest.mark.parametrize(
    "sequence",
    ["", "Ctrl+", "Ctrl+Foo", "Hyper+Q", "Ctrl+Ctrl+Q", "Shift", "Q+Ctrl", "A, B, C, D, E"],
)
def test_invalid_key_sequences(sequence: str) -> None:
    with pytest.raises(ValueError, match="key sequence"):
        check_key_sequence(sequence)


def test_cross_section_checks_still_run_when_another_section_fails() -> None:
    errors = error_types(
        {
            "tenant": TENANT,
            "auth": {"mode": "qseow-interactive"},
            "network": {"reconnect_min_s": 9, "reconnect_max_s": 1, "keepalive_timeout_s": "x"},
            "kiosk": {"exit_shortcut": "Nope+Q"},
        }
    )
    assert set(errors) == {
        (("auth",), "auth_kind"),
        (("network", "reconnect_max_s"), "backoff_order"),
        (("network", "keepalive_timeout_s"), "float_parsing"),
        (("kiosk", "exit_shortcut"), "key_sequence"),
    }
