"""The viewer's configuration, declared once as pydantic models: defaults, validation, the
descriptions in docs/configuration.md and the key paths in error messages all come from here.

`ViewerConfig` is one whole profile (sections `tenant`, `auth`, `network`, `branding`, `kiosk`,
`web`, `monitor`, `locks`). `auth` is a union discriminated by `mode`: each mode has exactly its own fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, Self, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from viewer.config.fields import (
    HexColor,
    Identity,
    KeySequence,
    LanguageTag,
    ProxyPrefix,
    ProxyUrl,
    SecretRef,
    WebUrl,
)
from viewer.core.schedule import Window, parse_time

TenantKind: TypeAlias = Literal["cloud", "qseow"]
WebRendering: TypeAlias = Literal["auto", "gpu", "software"]
ReloadAction: TypeAlias = Literal["sheet", "restart"]
SingleOpt: TypeAlias = Literal[
    "ctxmenu", "currsel", "debug", "noanimate", "nointeraction", "noselections"
]
JwtAlgorithm: TypeAlias = Literal[
    "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"
]

MAX_JWT_LIFETIME_S = 3600


class Section(BaseModel):
    """Base of every configuration table: unknown keys are errors, values are immutable.

    A model-level error may name the key it is about in its context as `field` (a dotted path
    relative to the table); the error presenter reports it there.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


# --- tenant -------------------------------------------------------------------------------


class SinglePageOptions(Section):
    """Options of Qlik's single-integration page (`/single/?appid=…&sheet=…`)."""

    opt: list[SingleOpt] = Field(
        default_factory=list,
        description="Flags passed as `opt=`: ctxmenu, currsel, debug, noanimate, "
        "nointeraction, noselections.",
    )
    theme: str | None = Field(None, description="Theme id passed as `theme=` (e.g. `sense`).")
    lang: LanguageTag | None = Field(
        None, description="Language of the Qlik UI passed as `lang=` (e.g. `en-US`)."
    )
    select: list[str] = Field(
        default_factory=list,
        description="Selections applied on load, each `Field,value1,value2` (one `select=` each).",
    )
    bookmark: str | None = Field(None, description="Bookmark id applied on load (`bookmark=`).")
    clear_selections: bool = Field(
        False, description="Clear all selections before applying `select` and `bookmark`."
    )


class TenantConfig(Section):
    """Which Qlik deployment, app and sheet to show."""

    kind: TenantKind = Field(
        "cloud", description="`cloud` for Qlik Cloud, `qseow` for client-managed Qlik Sense."
    )
    base_url: WebUrl = Field(
        description="Address of the tenant or site, e.g. `https://acme.eu.qlikcloud.com` or "
        "`https://qlik.example.com`."
    )
    prefix: ProxyPrefix = Field(
        "", description="Virtual-proxy prefix on client-managed sites (empty: the default proxy)."
    )
    web_integration_id: str | None = Field(
        None,
        description="Qlik Cloud web integration id whose allow list contains this viewer's "
        "origin; sent as `qlik-web-integration-id`.",
    )
    app_id: str | None = Field(
        None,
        description="Id of the Qlik app whose sheet is shown (none: the desktop window starts "
        "with the hub of apps; a kiosk needs one).",
    )
    sheet_id: str | None = Field(
        None, description="Id of the sheet to show (none: the first sheet in `sheets`)."
    )
    sheets: list[str] = Field(
        default_factory=list, description="Sheet ids shown in turn when rotation is enabled."
    )
    rotate_every_s: float | None = Field(
        None, gt=0, description="Seconds between sheets of `sheets` (none: no rotation)."
    )
    identity: Identity | None = Field(
        None,
        description="Engine session identity. None: a stable identity generated once per "
        "profile and kept in the user state directory, so a restart re-attaches.",
    )
    single: SinglePageOptions = Field(
        default_factory=SinglePageOptions, description="Options of the single-integration page."
    )


# --- auth ---------------------------------------------------------------------------------


class _AuthBase(Section):
    """Fields common to every auth mode."""


class _InteractiveAuth(_AuthBase):
    """Fields of the modes that sign in in the viewer's sign-in window."""

    idp_origins: list[WebUrl] = Field(
        default_factory=list,
        description="Origins the sign-in window may show besides the tenant: the identity "
        "provider's login pages (e.g. `https://login.example.com`). Anything else is blocked "
        "there (`web.allowed_origins` are allowed too).",
    )


class CloudInteractiveAuth(_InteractiveAuth):
    """Qlik Cloud: the user signs in through the tenant's identity provider in the window."""

    mode: Literal["cloud-interactive"] = Field(description="Auth flow.")


REQUIRED_UNLESS = "required_unless"  # json_schema_extra key: required unless that key is set


def _needed_for_signing(description: str) -> Any:
    """A key the JWT needs when the viewer signs it itself (no `token_url`)."""
    return Field(None, description=description, json_schema_extra={REQUIRED_UNLESS: "token_url"})


def _needed_for_qps(description: str) -> Any:
    """A key the QPS API needs (required unless a mode's `ticket_url` replaces the QPS; a mode
    without `ticket_url` always needs it — the reference says so)."""
    return Field(None, description=description, json_schema_extra={REQUIRED_UNLESS: "ticket_url"})


class _JwtSigning(_AuthBase):
    """A JWT signed locally with a private key, or fetched from an organisation's endpoint."""

    private_key: SecretRef | None = _needed_for_signing(
        "Reference to the PEM private key that signs the JWT."
    )
    kid: str | None = Field(None, description="Key id (`kid` header) the tenant knows the key by.")
    algorithm: JwtAlgorithm = Field(
        "RS256", description="Signing algorithm (RSA, ECDSA or RSA-PSS; never HS*)."
    )
    lifetime_s: int = Field(
        300, gt=0, le=MAX_JWT_LIFETIME_S, description="Seconds between `nbf` and `exp`."
    )
    token_url: WebUrl | None = Field(
        None, description="Organisation endpoint that returns a signed JWT (instead of a key)."
    )
    token_url_auth: SecretRef | None = Field(
        None, description="Reference to a bearer credential sent to `token_url`."
    )
    groups: list[str] = Field(default_factory=list, description="Groups claim of the JWT.")

    def _signing_keys_missing(self, required: dict[str, object]) -> list[str]:
        if self.token_url is not None:
            return []
        return [name for name, value in required.items() if not value]

    def _require_signing(self, required: dict[str, object]) -> None:
        missing = self._signing_keys_missing(required)
        if missing:
            raise PydanticCustomError(
                "jwt_source",
                "set either token_url, or the signing keys (missing: {missing})",
                {"missing": ", ".join(missing)},
            )


class CloudJwtAuth(_JwtSigning):
    """Qlik Cloud: a JWT is exchanged for a session at `/login/jwt-session`."""

    mode: Literal["cloud-jwt"] = Field(description="Auth flow.")
    kid: str | None = _needed_for_signing("Key id (`kid` header) the tenant knows the key by.")
    issuer: str | None = _needed_for_signing("`iss` claim, as configured on the tenant.")
    subject: str | None = _needed_for_signing("`sub` claim: the user's subject.")
    name: str | None = Field(
        None, description="`name` claim: the user's display name (default: the subject)."
    )
    email: str | None = _needed_for_signing(
        "`email` claim (sent as verified; Qlik Cloud refuses a JWT without it)."
    )

    @model_validator(mode="after")
    def _check_source(self) -> Self:
        self._require_signing(
            {"private_key": self.private_key, "kid": self.kid, "issuer": self.issuer,
             "subject": self.subject, "email": self.email}
        )  # fmt: skip
        return self


class CloudApiKeyAuth(_AuthBase):
    """Qlik Cloud: an API key sent as a bearer token on every request."""

    mode: Literal["api-key"] = Field(description="Auth flow.")
    api_key: SecretRef = Field(description="Reference to the API key.")


class _QpsClient(_AuthBase):
    """A client-managed site's proxy service (QPS) API, called with a client certificate."""

    qps_url: WebUrl | None = Field(
        None, description="QPS API address (none: the site host on port 4243)."
    )
    client_cert: Path | None = _needed_for_qps("PEM client certificate for the QPS.")
    client_key: Path | None = _needed_for_qps("PEM private key of the client cert.")
    client_key_password: SecretRef | None = Field(
        None, description="Reference to the password of `client_key`, if it is encrypted."
    )
    ca_cert: Path | None = Field(None, description="CA bundle that signed the QPS certificate.")
    user_directory: str | None = _needed_for_qps("User directory of the viewer's user.")
    user_id: str | None = _needed_for_qps("User id of the viewer's user.")
    attributes: dict[str, str] = Field(
        default_factory=dict, description="Extra user attributes sent to the QPS."
    )

    def _require_qps(self) -> None:
        required = {
            "client_cert": self.client_cert,
            "client_key": self.client_key,
            "user_directory": self.user_directory,
            "user_id": self.user_id,
        }
        missing = [name for name, value in required.items() if not value]
        if missing:
            raise PydanticCustomError(
                "qps_fields", "missing for this mode: {missing}", {"missing": ", ".join(missing)}
            )


class QseowTicketAuth(_QpsClient):
    """Client-managed: a QPS ticket (from the QPS or a ticket broker) becomes a session."""

    mode: Literal["qseow-ticket"] = Field(description="Auth flow.")
    ticket_url: WebUrl | None = Field(
        None, description="Organisation ticket broker that returns a ticket (instead of the QPS)."
    )
    ticket_url_auth: SecretRef | None = Field(
        None, description="Reference to a bearer credential sent to `ticket_url`."
    )

    @model_validator(mode="after")
    def _check_source(self) -> Self:
        if self.ticket_url is None:
            self._require_qps()
        return self


class QseowSessionAuth(_QpsClient):
    """Client-managed: the viewer creates a proxy session with the QPS session API."""

    mode: Literal["qseow-session"] = Field(description="Auth flow.")
    delete_on_exit: bool = Field(True, description="Delete the created session on exit.")

    @model_validator(mode="after")
    def _check_source(self) -> Self:
        self._require_qps()
        return self


class QseowHeaderAuth(_AuthBase):
    """Client-managed: a virtual proxy that trusts a request header naming the user."""

    mode: Literal["qseow-header"] = Field(description="Auth flow.")
    header_name: str = Field(
        min_length=1, description="Header the virtual proxy reads the user from."
    )
    user_id: str = Field(min_length=1, description="User id put in the header.")
    user_directory: str | None = Field(None, description="User directory, if the template uses it.")
    value_template: str = Field(
        "{user_id}",
        description="Header value; `{user_id}` and `{user_directory}` are replaced.",
    )

    @model_validator(mode="after")
    def _check_template(self) -> Self:
        try:
            self.value_template.format(user_id="", user_directory="")
        except (KeyError, IndexError, ValueError):
            raise PydanticCustomError(
                "header_template",
                "value_template may only use {{user_id}} and {{user_directory}}",
            ) from None
        return self


class QseowJwtAuth(_JwtSigning):
    """Client-managed: a virtual proxy with JWT authentication (`Authorization: Bearer`)."""

    mode: Literal["qseow-jwt"] = Field(description="Auth flow.")
    user_id: str | None = _needed_for_signing("User id put in the user id claim.")
    user_directory: str | None = Field(None, description="User directory claim value.")
    user_id_claim: str = Field("userId", description="Claim name the proxy reads the user from.")
    user_directory_claim: str = Field(
        "userDirectory", description="Claim name the proxy reads the user directory from."
    )

    @model_validator(mode="after")
    def _check_source(self) -> Self:
        self._require_signing({"private_key": self.private_key, "user_id": self.user_id})
        return self


class QseowInteractiveAuth(_InteractiveAuth):
    """Client-managed: the user signs in in the window (forms, SAML, OIDC, Windows)."""

    mode: Literal["qseow-interactive"] = Field(description="Auth flow.")


class AnonymousAuth(_AuthBase):
    """No sign-in: a site or sim that allows anonymous access."""

    mode: Literal["anonymous"] = Field(description="Auth flow.")


AuthConfig: TypeAlias = Annotated[
    CloudInteractiveAuth
    | CloudJwtAuth
    | CloudApiKeyAuth
    | QseowTicketAuth
    | QseowSessionAuth
    | QseowHeaderAuth
    | QseowJwtAuth
    | QseowInteractiveAuth
    | AnonymousAuth,
    Field(discriminator="mode"),
]
AUTH_MODELS: tuple[type[_AuthBase], ...] = (
    CloudInteractiveAuth,
    CloudJwtAuth,
    CloudApiKeyAuth,
    QseowTicketAuth,
    QseowSessionAuth,
    QseowHeaderAuth,
    QseowJwtAuth,
    QseowInteractiveAuth,
    AnonymousAuth,
)
AuthMode: TypeAlias = Literal[
    "cloud-interactive",
    "cloud-jwt",
    "api-key",
    "qseow-ticket",
    "qseow-session",
    "qseow-header",
    "qseow-jwt",
    "qseow-interactive",
    "anonymous",
]
DEFAULT_AUTH_MODE: dict[TenantKind, AuthMode] = {
    "cloud": "cloud-interactive",
    "qseow": "qseow-interactive",
}


def auth_mode_of(model: type[_AuthBase]) -> str:
    """The `mode` tag of an auth model class."""
    annotation = model.model_fields["mode"].annotation
    return str(annotation.__args__[0])  # type: ignore[union-attr]


def auth_mode_kinds(mode: str) -> tuple[TenantKind, ...]:
    """Tenant kinds an auth mode works with."""
    if mode == "anonymous":
        return ("cloud", "qseow")
    return ("qseow",) if mode.startswith("qseow-") else ("cloud",)


# --- network, branding, kiosk, web --------------------------------------------------------


class NetworkConfig(Section):
    """Keepalive, reconnection and proxy settings for every connection."""

    keepalive_interval_s: float = Field(
        4.0,
        gt=0,
        description="Seconds between keepalive pings on the engine socket (a silent network "
        "is noticed within interval + timeout).",
    )
    keepalive_timeout_s: float = Field(
        4.0, gt=0, description="Seconds without a pong before the socket counts as dead."
    )
    reconnect_min_s: float = Field(0.5, gt=0, description="First reconnect delay in seconds.")
    reconnect_max_s: float = Field(30.0, gt=0, description="Longest reconnect delay in seconds.")
    reconnect_jitter: float = Field(
        0.2, ge=0, le=1, description="Random spread of each delay, as a fraction (0 to 1)."
    )
    connect_step_timeout_s: float = Field(
        30.0,
        gt=0,
        description="Seconds each step of connecting may take (sign-in check, engine socket, "
        "sheet list) before the attempt counts as failed and is retried from a clean start.",
    )
    open_app_timeout_s: float = Field(
        300.0,
        gt=0,
        description="Seconds the engine may take to open the app (OpenDoc): large apps load "
        "their data into memory first, which can take minutes.",
    )
    ca_bundle: Path | None = Field(
        None, description="Extra CA bundle (PEM) trusted besides the OS trust store."
    )
    http_proxy: ProxyUrl | None = Field(
        None, description="Proxy for HTTP and WebSocket traffic (none: direct or the OS setting)."
    )

    @field_validator("reconnect_max_s")
    @classmethod
    def _check_backoff(cls, maximum: float, info: ValidationInfo) -> float:
        minimum = info.data.get("reconnect_min_s")
        if minimum is not None and minimum > maximum:
            raise PydanticCustomError(
                "backoff_order", "smaller than reconnect_min_s ({minimum})", {"minimum": minimum}
            )
        return maximum


class StateMessages(Section):
    """What the viewer says in each state where the sheet is hidden."""

    connecting: str = Field("Connecting…", description="Shown while connecting.")
    suspended: str = Field(
        "Connection lost. Reconnecting…", description="Shown while the session is suspended."
    )
    reconnect_to_continue: str = Field(
        "Connection lost. Reconnect to continue.",
        description="Shown when the connection is lost and the viewer waits for the user.",
    )
    offline: str = Field(
        "No network. Waiting for it to come back…", description="Shown while offline."
    )
    auth_required: str = Field("Please sign in again.", description="Shown when sign-in is due.")
    closed: str = Field(
        "The session has ended.", description="Shown when the session closed for good."
    )


class BrandingConfig(Section):
    """Name, logo, colours and words of the viewer's own UI."""

    product_name: str = Field("Viewer", min_length=1, description="Name in titles and dialogs.")
    logo: Path | None = Field(None, description="Logo image (PNG or SVG) shown in dialogs.")
    primary_color: HexColor = Field("#009845", description="Accent colour (buttons, bars).")
    background_color: HexColor = Field("#ffffff", description="Dialog and overlay background.")
    text_color: HexColor = Field("#1a1a1a", description="Dialog and overlay text colour.")
    language: LanguageTag = Field("en", description="Language of the viewer's own texts.")
    messages: StateMessages = Field(
        default_factory=StateMessages, description="Per-state messages."
    )


class KioskConfig(Section):
    """Unattended wall-display mode: fullscreen, no chrome, automatic recovery."""

    enabled: bool = Field(False, description="Start in kiosk mode.")
    exit_shortcut: KeySequence = Field(
        "Ctrl+Shift+Q",
        description="Qt key sequence that quits the kiosk: the viewer shuts down in order and "
        "exits (a service manager that keeps the wall running starts it again).",
    )
    hide_cursor_after_s: float = Field(
        5.0, ge=0, description="Hide the mouse cursor after this many idle seconds (0: never)."
    )
    idle_reset_s: float | None = Field(
        None,
        gt=0,
        description="After this many seconds without touch, mouse or key input, clear the "
        "selections someone made (the configured bookmark and selections are applied again) "
        "and show the start sheet; rotation pauses while someone interacts (none: never).",
    )
    freshness_badge: bool = Field(
        False,
        description='Show a "Data as of HH:MM" badge with the app\'s last reload time, updated '
        "when the app reloads.",
    )
    stale_after_s: float | None = Field(
        None,
        gt=0,
        description="Data older than this many seconds is out of date: the badge turns into a "
        "warning (shown even when `freshness_badge` is off). None: never.",
    )
    capacity_minutes_per_day: int | None = Field(
        None,
        gt=0,
        description="Pace rotation so that it causes at most this many Analyzer Capacity minutes "
        "a day (Qlik counts 6-minute blocks started by activity; rotating faster than every 6 "
        "minutes costs 1,440 a day). None: rotate every `tenant.rotate_every_s`.",
    )
    reload_at: list[str] = Field(
        default_factory=list,
        description="Times of day (`HH:MM` or `HH:MM:SS`, local time) at which `reload_action` "
        'happens, e.g. `["05:30"]`.',
    )
    reload_action: ReloadAction = Field(
        "sheet",
        description="At `reload_at`: `sheet` loads the sheet's page again; `restart` ends the "
        "viewer with exit code 75 so that its service manager starts it again (fresh memory).",
    )
    display_off: list[str] = Field(
        default_factory=list,
        description="Daily windows (`HH:MM-HH:MM`, local time; over midnight when the end is "
        "earlier) in which the screen is switched off on purpose (X11 DPMS; elsewhere the window "
        "is blanked black).",
    )
    display_off_close_session: bool = Field(
        True,
        description="While the screen is off by `display_off`, close the sheet's engine session "
        "(and the page's engine socket), freeing the tenant's session slot and engine memory; it "
        "is opened again `display_on_lead_s` before the screen comes on. Only with an auth flow "
        "that signs in again by itself (not `interactive`).",
    )
    display_on_lead_s: float = Field(
        60.0,
        ge=0,
        description="Seconds before the end of a `display_off` window at which a closed engine "
        "session is opened again; the screen comes on once the sheet has loaded (at most 60 s "
        "late).",
    )

    @field_validator("reload_at")
    @classmethod
    def _check_times(cls, times: list[str]) -> list[str]:
        for text in times:
            try:
                parse_time(text)
            except ValueError as error:
                raise PydanticCustomError(
                    "time_of_day", "{problem}", {"problem": str(error)}
                ) from None
        return times

    @field_validator("display_off")
    @classmethod
    def _check_windows(cls, windows: list[str]) -> list[str]:
        for text in windows:
            try:
                Window.parse(text)
            except ValueError as error:
                raise PydanticCustomError(
                    "time_window", "{problem}", {"problem": str(error)}
                ) from None
        return windows


class WebConfig(Section):
    """What the embedded browser may do."""

    allowed_origins: list[WebUrl] = Field(
        default_factory=list,
        description="Origins the view may navigate to besides the tenant (e.g. the IdP).",
    )
    downloads_allowed: bool = Field(False, description="Allow file downloads from the sheet.")
    persistent_profile: bool = Field(
        True, description="Keep cookies and cache on disk between runs (per profile)."
    )
    renderer_memory_limit_mb: int = Field(
        1536,
        ge=0,
        description="Reload the sheet when its renderer process holds more memory than this "
        "(MiB; 0: never). Long-running pages grow; a wall display must not run out.",
    )
    rendering: WebRendering = Field(
        "auto",
        description="How the view is drawn: `gpu` (Qt's choice of graphics API), `software` "
        "(Qt Quick's software renderer) or `auto`: software on Linux without a GPU render node "
        "(VMs, thin clients), where OpenGL would run on the CPU and the first sheet shows later.",
    )


class MonitorConfig(Section):
    """The health and metrics endpoint for fleet monitoring (`/healthz`, `/metrics`)."""

    port: int | None = Field(
        None,
        ge=0,
        le=65535,
        description="Port of `/healthz` and `/metrics` (none: no endpoint; `--health-port` "
        "overrides it).",
    )
    address: str = Field(
        "127.0.0.1",
        description="IP address the endpoint listens on. Anything but a loopback address "
        "(e.g. `0.0.0.0` for a Prometheus server elsewhere) needs `token`.",
    )
    token: SecretRef | None = Field(
        None,
        description="Bearer token every request must carry (`Authorization: Bearer …`), as a "
        "secret reference. Required off loopback and for `screenshot`.",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names a request's `Host` header may carry besides the address (e.g. "
        "the display's DNS name, as Prometheus scrapes it).",
    )
    screenshot: bool = Field(
        False, description="Answer `GET /screenshot` with a PNG of the window (needs `token`)."
    )
    max_connections: int = Field(
        16, ge=1, le=256, description="Connections served at once; more push out the oldest."
    )
    header_timeout_s: float = Field(
        5.0, gt=0, le=60, description="Seconds a client has to send its whole request head."
    )

    @field_validator("address")
    @classmethod
    def _check_address(cls, address: str) -> str:
        import ipaddress

        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise PydanticCustomError(
                "ip_address", "not an IP address (e.g. 127.0.0.1, 0.0.0.0 or ::1)"
            ) from None
        return address

    @model_validator(mode="after")
    def _check_token(self) -> Self:
        import ipaddress

        if self.token is None and not ipaddress.ip_address(self.address).is_loopback:
            raise PydanticCustomError(
                "token_required",
                "a token is required when the endpoint listens on {address} (not loopback): "
                "set monitor.token to a secret reference such as env:VIEWER_MONITOR_TOKEN",
                {"address": self.address, "field": "token"},
            )
        if self.screenshot and self.token is None:
            raise PydanticCustomError(
                "token_required",
                "GET /screenshot is served only behind a token: set monitor.token",
                {"field": "token"},
            )
        return self


class LocksConfig(Section):
    """Keys a site file fixes so that user profiles cannot change them."""

    keys: list[str] = Field(
        default_factory=list,
        description="Dotted key paths (e.g. `tenant.base_url`, `auth`) that only the site file "
        "may set. Only allowed in the site file.",
    )


# --- the whole profile --------------------------------------------------------------------


class ViewerConfig(Section):
    """One whole profile, after layering."""

    tenant: TenantConfig = Field(description="Which tenant, app and sheet.")
    auth: AuthConfig = Field(
        description="How to sign in; `mode` selects the flow and its fields. Default: "
        "`cloud-interactive` for cloud tenants, `qseow-interactive` for client-managed sites."
    )
    network: NetworkConfig = Field(default_factory=NetworkConfig, description="Networking.")
    branding: BrandingConfig = Field(default_factory=BrandingConfig, description="Branding.")
    kiosk: KioskConfig = Field(default_factory=KioskConfig, description="Kiosk mode.")
    web: WebConfig = Field(default_factory=WebConfig, description="Embedded browser.")
    monitor: MonitorConfig = Field(
        default_factory=MonitorConfig, description="Health and metrics endpoint."
    )
    locks: LocksConfig = Field(default_factory=LocksConfig, description="Site locks.")

    @model_validator(mode="before")
    @classmethod
    def _default_auth(cls, data: Any) -> Any:
        if isinstance(data, dict) and "auth" not in data:
            tenant = data.get("tenant")
            kind = tenant.get("kind", "cloud") if isinstance(tenant, dict) else "cloud"
            if isinstance(kind, str) and kind in DEFAULT_AUTH_MODE:
                return {**data, "auth": {"mode": DEFAULT_AUTH_MODE[kind]}}
        return data

    @field_validator("auth")
    @classmethod
    def _check_auth_fits_tenant(cls, auth: _AuthBase, info: ValidationInfo) -> _AuthBase:
        # A field validator (not a model one) so that it runs even when other sections fail.
        tenant = info.data.get("tenant")
        mode = auth_mode_of(type(auth))
        if isinstance(tenant, TenantConfig) and tenant.kind not in auth_mode_kinds(mode):
            raise PydanticCustomError(
                "auth_kind",
                "auth mode {mode} does not work with tenant kind {kind}",
                {"mode": mode, "kind": tenant.kind, "field": "mode"},
            )
        return auth

    @field_validator("kiosk")
    @classmethod
    def _check_kiosk_has_app(cls, kiosk: KioskConfig, info: ValidationInfo) -> KioskConfig:
        tenant = info.data.get("tenant")
        if kiosk.enabled and isinstance(tenant, TenantConfig) and tenant.app_id is None:
            raise PydanticCustomError(
                "kiosk_app",
                "a kiosk shows one app's sheet: set tenant.app_id",
                {"field": "enabled"},
            )
        return kiosk
