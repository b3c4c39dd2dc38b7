"""Where a JWT comes from: signed here with a private key (PyJWT) with the claims the target
requires, or fetched from an organisation's token endpoint. Both are flows returning the token."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

from viewer.auth.base import Flow, grant_request
from viewer.auth.bounded import reply_json
from viewer.auth.errors import AuthConfigError, CredentialsRejected, ServiceUnavailable
from viewer.auth.errors import server_reason as _server_reason
from viewer.log import register_secret

if TYPE_CHECKING:
    import httpx

CLOUD_AUDIENCE: Final = "qlik.api/login/jwt-session"
CLOCK_SKEW: Final = timedelta(seconds=30)

Claims = dict[str, object]
ClaimsFactory = Callable[[datetime, timedelta], Claims]


def cloud_claims(
    *,
    issuer: str,
    subject: str,
    name: str | None,
    email: str | None,
    groups: list[str],
    now: datetime,
    lifetime: timedelta,
    jti: str | None = None,
) -> Claims:
    """The claims Qlik Cloud's `/login/jwt-session` requires. `nbf` is set a little in the past
    to absorb clock skew; `exp - nbf` stays within the configured lifetime (≤ 1 h)."""
    not_before = now - CLOCK_SKEW
    claims: Claims = {
        "iss": issuer,
        "aud": CLOUD_AUDIENCE,
        "sub": subject,
        "subType": "user",
        "name": name or subject,
        "email": email or "",
        "email_verified": bool(email),
        "jti": jti or uuid.uuid4().hex,
        "iat": int(now.timestamp()),
        "nbf": int(not_before.timestamp()),
        "exp": int((not_before + lifetime).timestamp()),
    }
    if groups:
        claims["groups"] = list(groups)
    return claims


def qseow_claims(
    *,
    user_id_claim: str,
    user_id: str,
    user_directory_claim: str,
    user_directory: str | None,
    groups: list[str],
    now: datetime,
    lifetime: timedelta,
) -> Claims:
    """The claims a client-managed JWT virtual proxy reads (claim names configured on it)."""
    not_before = now - CLOCK_SKEW
    claims: Claims = {
        user_id_claim: user_id,
        "iat": int(now.timestamp()),
        "nbf": int(not_before.timestamp()),
        "exp": int((not_before + lifetime).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if user_directory:
        claims[user_directory_claim] = user_directory
    if groups:
        claims["groups"] = list(groups)
    return claims


class JwtSource(ABC):
    """Something that yields a fresh JWT on each call (never re-used)."""

    @abstractmethod
    def token(self) -> Flow[str]:
        """A flow returning a new JWT."""


class SignedJwt(JwtSource):
    """A JWT signed locally with an asymmetric private key."""

    def __init__(
        self,
        *,
        private_key_pem: str,
        kid: str | None,
        algorithm: str,
        lifetime: timedelta,
        claims: ClaimsFactory,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if algorithm.upper().startswith("HS"):
            raise AuthConfigError(
                f"JWT algorithm {algorithm} is not allowed: Qlik requires an asymmetric "
                "algorithm (RS256 by default). Set auth.algorithm to RS256."
            )
        register_secret(private_key_pem)
        self._key = private_key_pem
        self._signing_key: object | None = None  # parsed on first use, then kept
        self._kid = kid
        self._algorithm = algorithm
        self._lifetime = lifetime
        self._claims = claims
        self._clock = clock

    def sign(self) -> str:
        """A freshly signed JWT (new `jti`, times from the clock)."""
        # PyJWT and cryptography take about 0.1 s to import, and parsing (validating) an RSA key
        # about as long again: both are paid on the first signature, not at start-up, where a
        # viewer re-using its stored session signs nothing at all.
        import jwt
        from cryptography.exceptions import UnsupportedAlgorithm
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        headers: dict[str, object] = {"typ": "JWT"}
        if self._kid:
            headers["kid"] = self._kid
        try:
            if self._signing_key is None:
                self._signing_key = load_pem_private_key(self._key.encode(), password=None)
            token = jwt.encode(
                self._claims(self._clock(), self._lifetime),
                self._signing_key,  # type: ignore[arg-type]  # any private key cryptography parses
                algorithm=self._algorithm,
                headers=headers,
            )
        except (ValueError, TypeError, UnsupportedAlgorithm, jwt.PyJWTError) as error:
            raise AuthConfigError(
                f"The JWT signing key cannot be used with {self._algorithm} "
                f"({type(error).__name__}). Check that auth.private_key refers to the PEM "
                "private key matching the certificate configured on the identity provider."
            ) from None
        register_secret(token)
        return token

    def token(self) -> Flow[str]:
        return self.sign()
        yield  # pragma: no cover - makes this a generator


def token_from_reply(response: httpx.Response) -> str | None:
    """The JWT in a token endpoint's reply: JSON `token`/`jwt`/`access_token`, or plain text."""
    try:
        body = reply_json(response)
    except ValueError:
        text = response.text.strip()
        return text if text.count(".") == 2 and " " not in text else None
    if isinstance(body, Mapping):
        for key in ("token", "jwt", "access_token", "id_token"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    if isinstance(body, str) and body.count(".") == 2:
        return body
    return None


class FetchedJwt(JwtSource):
    """A JWT fetched from an organisation's token endpoint (GET, optional bearer credential)."""

    def __init__(self, url: str, *, credential: str | None = None) -> None:
        register_secret(credential)
        self._url = url
        self._credential = credential

    def token(self) -> Flow[str]:
        headers = {"Accept": "application/json"}
        if self._credential:
            headers["Authorization"] = f"Bearer {self._credential}"
        request = grant_request("GET", self._url, headers=headers)
        response = yield request
        where = f"The organisation's token endpoint {request.url.copy_with(query=None)}"
        if response.status_code >= 500:
            raise ServiceUnavailable(
                f"{where} failed (HTTP {response.status_code}). Try again later or ask its "
                "administrator.",
                status=response.status_code,
            )
        if response.status_code in (401, 403):
            raise CredentialsRejected(
                f"{where} refused the viewer ({_server_reason(response)}). Check "
                "auth.token_url_auth.",
                status=response.status_code,
            )
        token = token_from_reply(response) if response.status_code == 200 else None
        if token is None:
            raise ServiceUnavailable(
                f"{where} did not return a JWT (HTTP {response.status_code}). Check "
                "auth.token_url.",
                status=response.status_code,
            )
        register_secret(token)
        return token
