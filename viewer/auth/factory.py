"""Build the auth strategy a profile's `auth` section describes, reading the secrets its
references point to (each registered for redaction before anything can log it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from viewer.auth.anonymous import Anonymous, ApiKey
from viewer.auth.base import AuthStrategy, Tenant
from viewer.auth.cloud_jwt import CloudJwt
from viewer.auth.errors import AuthConfigError, UnreadableSecret
from viewer.auth.interactive import CloudInteractive, QseowInteractive
from viewer.auth.jwt_source import (
    Claims,
    ClaimsFactory,
    FetchedJwt,
    JwtSource,
    SignedJwt,
    cloud_claims,
    qseow_claims,
)
from viewer.auth.qseow import QpsApi, QpsUser, default_qps_url, session_cookie_name
from viewer.auth.qseow_header import QseowHeader, QseowJwt
from viewer.auth.qseow_session import QseowSession
from viewer.auth.qseow_ticket import QseowTicket, TicketSource
from viewer.config import models
from viewer.config.secret_refs import SecretResolutionError, resolve_secret
from viewer.config.tls import TlsSettings
from viewer.log import register_secret


def secret(reference: str, key_path: str) -> str:
    """The secret behind `reference`, registered for redaction; `AuthConfigError` if unreadable."""
    try:
        value = resolve_secret(reference, key_path)
    except SecretResolutionError as error:
        raise UnreadableSecret(
            f"Cannot read a secret of the profile: {error}.", error.key_path
        ) from None
    register_secret(value)
    return value


def _optional_secret(reference: str | None, key_path: str) -> str | None:
    return secret(reference, key_path) if reference is not None else None


def tenant_of(config: models.ViewerConfig, identity: str) -> Tenant:
    """The tenant coordinates of a profile."""
    return Tenant(
        flavor=config.tenant.kind,
        base_url=config.tenant.base_url,
        identity=identity,
        prefix=config.tenant.prefix,
        web_integration_id=config.tenant.web_integration_id,
    )


def _claims_factory(auth: models.CloudJwtAuth | models.QseowJwtAuth) -> ClaimsFactory:
    def cloud(now: datetime, lifetime: timedelta) -> Claims:
        assert isinstance(auth, models.CloudJwtAuth)
        return cloud_claims(
            issuer=auth.issuer or "", subject=auth.subject or "", name=auth.name,
            email=auth.email, groups=auth.groups, now=now, lifetime=lifetime,
        )  # fmt: skip

    def qseow(now: datetime, lifetime: timedelta) -> Claims:
        assert isinstance(auth, models.QseowJwtAuth)
        return qseow_claims(
            user_id_claim=auth.user_id_claim, user_id=auth.user_id or "",
            user_directory_claim=auth.user_directory_claim, user_directory=auth.user_directory,
            groups=auth.groups, now=now, lifetime=lifetime,
        )  # fmt: skip

    return cloud if isinstance(auth, models.CloudJwtAuth) else qseow


def _jwt_source(auth: models.CloudJwtAuth | models.QseowJwtAuth) -> JwtSource:
    if auth.token_url is not None:
        return FetchedJwt(
            auth.token_url, credential=_optional_secret(auth.token_url_auth, "auth.token_url_auth")
        )
    if auth.private_key is None:
        raise AuthConfigError("auth.private_key is needed to sign the JWT (or set token_url).")
    return SignedJwt(
        private_key_pem=secret(auth.private_key, "auth.private_key"),
        kid=auth.kid,
        algorithm=auth.algorithm,
        lifetime=timedelta(seconds=auth.lifetime_s),
        claims=_claims_factory(auth),
    )


def _qps(config: models.ViewerConfig, auth: models.QseowTicketAuth | models.QseowSessionAuth) -> (
    tuple[QpsApi, QpsUser | None, TlsSettings]
):  # fmt: skip
    if auth.client_key_password is not None:
        raise AuthConfigError(
            "Encrypted client keys are not supported yet: export the QMC certificate without a "
            "password and remove auth.client_key_password."
        )
    api = QpsApi(auth.qps_url or default_qps_url(config.tenant.base_url), config.tenant.prefix)
    user = None
    if auth.user_directory and auth.user_id:
        user = QpsUser(auth.user_directory, auth.user_id, dict(auth.attributes))
    tls = TlsSettings(
        ca_bundle=auth.ca_cert or config.network.ca_bundle,
        client_cert=auth.client_cert,
        client_key=auth.client_key,
        ca_bundle_key="auth.ca_cert" if auth.ca_cert else "network.ca_bundle",
    )
    return api, user, tls


SHEET_MODES = (
    "cloud-interactive, cloud-jwt, qseow-interactive, qseow-ticket, qseow-session, "
    "qseow-header, qseow-jwt or anonymous"
)


def cannot_show_sheets(config: models.ViewerConfig) -> str | None:
    """Why this profile's sign-in cannot show a sheet (None when it can): the `/single/` page
    signs in with cookies, which an API key never gives."""
    if isinstance(config.auth, models.CloudApiKeyAuth):
        return (
            "auth.mode api-key signs in the engine and REST calls only: the sheet page needs a "
            f"browser session, which an API key cannot give. Use {SHEET_MODES} to show sheets "
            "(`viewer check` still works with api-key)."
        )
    return None


def _sign_in_origins(config: models.ViewerConfig) -> tuple[str, ...]:
    auth = config.auth
    interactive = models.CloudInteractiveAuth | models.QseowInteractiveAuth
    idp = auth.idp_origins if isinstance(auth, interactive) else []
    return tuple(str(origin) for origin in (*idp, *config.web.allowed_origins))


def strategy_for(
    config: models.ViewerConfig, identity: str, *, cookie_name: str | None = None
) -> AuthStrategy:
    """The strategy of `config.auth.mode`. `cookie_name` overrides the proxy session cookie's
    default name (`X-Qlik-Session-<prefix>`) on client-managed sites."""
    tenant = tenant_of(config, identity)
    tls = TlsSettings(ca_bundle=config.network.ca_bundle)
    cookie = cookie_name or session_cookie_name(config.tenant.base_url, config.tenant.prefix)
    auth = config.auth
    match auth:
        case models.CloudInteractiveAuth():
            return CloudInteractive(tenant, tls=tls, sign_in_origins=_sign_in_origins(config))
        case models.QseowInteractiveAuth():
            return QseowInteractive(tenant, tls=tls, sign_in_origins=_sign_in_origins(config))
        case models.AnonymousAuth():
            return Anonymous(tenant, tls=tls)
        case models.CloudApiKeyAuth():
            return ApiKey(tenant, secret(auth.api_key, "auth.api_key"), tls=tls)
        case models.CloudJwtAuth():
            return CloudJwt(tenant, _jwt_source(auth), kid=auth.kid, tls=tls)
        case models.QseowJwtAuth():
            return QseowJwt(tenant, _jwt_source(auth), user=auth.user_id, tls=tls)
        case models.QseowHeaderAuth():
            value = auth.value_template.format(
                user_id=auth.user_id, user_directory=auth.user_directory or ""
            )
            return QseowHeader(tenant, header_name=auth.header_name, header_value=value, tls=tls)
        case models.QseowTicketAuth():
            api, user, qps_tls = _qps(config, auth)
            source = TicketSource(
                qps=api, user=user, broker_url=auth.ticket_url,
                broker_credential=_optional_secret(auth.ticket_url_auth, "auth.ticket_url_auth"),
            )  # fmt: skip
            return QseowTicket(
                tenant, source, cookie_name=cookie, tls=qps_tls,
                user=user.display if user else None,
            )  # fmt: skip
        case models.QseowSessionAuth():
            api, user, qps_tls = _qps(config, auth)
            assert user is not None
            return QseowSession(tenant, api, user, cookie_name=cookie, tls=qps_tls)
    raise AuthConfigError(f"Auth mode {auth.mode} is not supported.")  # pragma: no cover
