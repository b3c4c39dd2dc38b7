"""Validation of the JWT a client posts to Qlik Cloud's `/login/jwt-session`, with the checks
and messages of Qlik's JWT identity provider (RS256 only, kid, iss, aud, required claims,
a validity window of at most one hour, single-use jti)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Final

import jwt

AUDIENCE: Final = "qlik.api/login/jwt-session"
ALGORITHMS: Final = ("RS256",)
REQUIRED_CLAIMS: Final = (
    "iss",
    "aud",
    "sub",
    "subType",
    "name",
    "email",
    "email_verified",
    "jti",
    "iat",
    "nbf",
    "exp",
)
MAX_LIFETIME: Final = 3600
CLOCK_LEEWAY: Final = 5
_PREFIX: Final = "JWT_LOGIN_VALIDATIONS"


class JwtRejected(Exception):
    """The token was refused; `str()` is the message Qlik puts in the error body."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{_PREFIX} {reason}")


@dataclass
class JtiRegistry:
    """Token ids already used, remembered until their token would have expired anyway."""

    _seen: dict[str, float] = field(default_factory=dict)

    def claim(self, jti: str, expires_at: float) -> bool:
        """Record `jti`; False when it was used before."""
        now = time.time()
        self._seen = {k: v for k, v in self._seen.items() if v + CLOCK_LEEWAY >= now}
        if jti in self._seen:
            return False
        self._seen[jti] = expires_at
        return True


@dataclass(frozen=True)
class JwtTrust:
    """What the tenant's JWT identity provider is configured with."""

    issuer: str
    kid: str
    public_key_pem: bytes


def _header(token: str) -> dict[str, Any]:
    try:
        return jwt.get_unverified_header(token)
    except jwt.DecodeError as error:
        raise JwtRejected("Invalid JWT: the token is not a well-formed JWS") from error


def _decode(token: str, trust: JwtTrust, algorithm: str) -> dict[str, Any]:
    try:
        return jwt.decode(
            token,
            trust.public_key_pem,
            algorithms=[algorithm],
            audience=AUDIENCE,
            issuer=trust.issuer,
            leeway=CLOCK_LEEWAY,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.MissingRequiredClaimError as error:
        raise JwtRejected(f"Missing required claim: {error.claim}") from error
    except jwt.InvalidAudienceError as error:
        raise JwtRejected(f"Invalid audience: expected {AUDIENCE}") from error
    except jwt.InvalidIssuerError as error:
        raise JwtRejected("Invalid issuer") from error
    except jwt.ExpiredSignatureError as error:
        raise JwtRejected("Token expired (exp)") from error
    except jwt.ImmatureSignatureError as error:
        raise JwtRejected("Token not yet valid (nbf)") from error
    except jwt.InvalidSignatureError as error:
        raise JwtRejected("Invalid signature") from error
    except jwt.InvalidTokenError as error:
        raise JwtRejected(f"Invalid JWT: {error}") from error


def _check_claims(claims: dict[str, Any]) -> None:
    if claims["subType"] != "user":
        raise JwtRejected("Invalid claim: subType must be 'user'")
    if not isinstance(claims["email_verified"], bool):
        raise JwtRejected("Invalid claim: email_verified must be a boolean")
    for name in ("sub", "name", "email", "jti"):
        if not isinstance(claims[name], str) or not claims[name]:
            raise JwtRejected(f"Invalid claim: {name} must be a non-empty string")
    groups = claims.get("groups", [])
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise JwtRejected("Invalid claim: groups must be a list of strings")
    if claims["exp"] - claims["nbf"] > MAX_LIFETIME:
        raise JwtRejected("Token lifetime (exp - nbf) exceeds 1 hour")


def validate(token: str, trust: JwtTrust, used: JtiRegistry) -> dict[str, Any]:
    """The claims of a valid, unused token; raises JwtRejected otherwise."""
    header = _header(token)
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise JwtRejected(f"Unsupported algorithm: {algorithm} (use RS256)")
    if header.get("kid") != trust.kid:
        raise JwtRejected("Unknown key id (kid)")
    claims = _decode(token, trust, algorithm)
    _check_claims(claims)
    if not used.claim(claims["jti"], float(claims["exp"])):
        raise JwtRejected("Token already used (jti)")
    return claims


PROXY_USER_CLAIM: Final = "userId"
PROXY_DIRECTORY_CLAIM: Final = "userDirectory"


def validate_proxy_jwt(token: str, public_key_pem: bytes) -> tuple[str, str]:
    """(user directory, user id) of a JWT a client-managed JWT virtual proxy accepts: signed
    with the proxy's certificate key (RS256), within exp/nbf, with the user id claim and the
    user directory claim (the claim names the proxy is configured with). JwtRejected if not."""
    try:
        claims = jwt.decode(
            token,
            public_key_pem,
            algorithms=list(ALGORITHMS),
            leeway=CLOCK_LEEWAY,
            options={"require": ["exp"], "verify_aud": False},
        )
    except jwt.ExpiredSignatureError as error:
        raise JwtRejected("Token expired (exp)") from error
    except jwt.InvalidTokenError as error:
        raise JwtRejected(f"Invalid JWT: {error}") from error
    user_id, directory = claims.get(PROXY_USER_CLAIM), claims.get(PROXY_DIRECTORY_CLAIM)
    for name, value in ((PROXY_USER_CLAIM, user_id), (PROXY_DIRECTORY_CLAIM, directory)):
        if not isinstance(value, str) or not value:
            raise JwtRejected(f"Missing required claim: {name}")
    return str(directory), str(user_id)
