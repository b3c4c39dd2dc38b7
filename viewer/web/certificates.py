"""The web view's answer to a certificate Chromium refused: a chain that Chromium could not tie to
a CA it knows is accepted only when `viewer.web.trust` verifies it against the configured CA
bundle (chain, host name, validity); every other certificate error stays refused. Tiny by design:
it translates Qt's arguments and calls the pure verification."""

from __future__ import annotations

import logging

from PySide6.QtWebEngineCore import QWebEngineCertificateError, QWebEnginePage

from viewer.log import emit, get_logger
from viewer.web.policy import url_for_log

_log = get_logger("web")

# The only refusal a private CA causes; revoked, weak or malformed certificates stay refused.
_UNKNOWN_AUTHORITY = QWebEngineCertificateError.Type.CertificateAuthorityInvalid


def trust_configured_cas(page: QWebEnginePage) -> None:
    """Let `page` accept certificates that chain to the process's configured CAs."""
    page.certificateError.connect(_on_page_certificate_error)


def _on_page_certificate_error(error: QWebEngineCertificateError) -> None:
    from viewer.web.trust import process_trust  # cryptography: only when a certificate is doubted

    url = error.url()
    verdict = None
    if error.type() == _UNKNOWN_AUTHORITY and error.isOverridable():
        chain = [bytes(cert.toDer().data()) for cert in error.certificateChain()]
        verdict = process_trust().verify(chain, url.host())
    if verdict is not None and verdict.trusted:
        emit(_log, "web.certificate_trusted", url=url_for_log(url.toString()),
             reason=verdict.reason)  # fmt: skip
        error.acceptCertificate()
        return
    reason = verdict.reason if verdict is not None else error.description()
    emit(_log, "web.certificate_refused", level=logging.WARNING, url=url_for_log(url.toString()),
         error=error.type().name, reason=reason)  # fmt: skip
    error.rejectCertificate()
