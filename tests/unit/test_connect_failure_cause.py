"""`failure_cause`: what a failed connect names as its cause. A sign-in the server answered with
a 5xx (the tenant, or the site's JWT or ticket service, down or overloaded) is a named cause
that is retried like the network, never a sign-in the user must give."""

from __future__ import annotations

import pytest

from viewer.auth.errors import CredentialsRejected, ServiceUnavailable
from viewer.core.closes import CloseKind
from viewer.sheet.connect import SIGN_IN_SERVER_ERROR, failure_cause


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_sign_in_answered_with_a_server_error_is_named(status: int) -> None:
    cause = failure_cause(ServiceUnavailable("the tenant failed", status=status))
    assert cause is not None
    assert cause.kind is CloseKind.NETWORK
    assert cause.reason_key == SIGN_IN_SERVER_ERROR == "auth.server_error"
    assert cause.detail == {"http_status": str(status)}


def test_a_service_that_gave_no_http_answer_names_no_cause() -> None:
    # refused, timed out, no cookie set: not a server error (the generic retry applies)
    assert failure_cause(ServiceUnavailable("Cannot connect to tenant:443")) is None


def test_a_rejected_sign_in_stays_a_credentials_fault() -> None:
    cause = failure_cause(CredentialsRejected("The tenant rejected the JWT", status=401))
    assert cause is not None
    assert (cause.kind, cause.reason_key) == (CloseKind.FATAL, "auth.credentials_rejected")
