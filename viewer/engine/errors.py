"""Typed exceptions of the engine client: engine errors with their code, parameter and message,
and the client's own failures (not connected, suspended, closed, timed out, bad frames)."""

from __future__ import annotations

from enum import IntEnum

from viewer.core.closes import CloseClassification


class EngineErrorCode(IntEnum):
    """Engine error codes the client treats specially (reference/qix-protocol.md)."""

    ACCESS_DENIED = 5
    ABORTED = 15
    CONNECTION_LOST = 16
    APP_ALREADY_OPEN = 1002
    APP_NOT_FOUND = 1003
    APP_INVALID = 1007
    APP_NOT_OPEN = 1017
    USER_ACCESS_DENIED = 4000
    SERVER_BUSY = 5006
    METHOD_NOT_FOUND = -32601


class EngineClientError(Exception):
    """Base of every error the engine client raises."""


class EngineError(EngineClientError):
    """The engine answered a request with an error."""

    def __init__(self, code: int, parameter: str, message: str, method: str = "") -> None:
        self.code = code
        self.parameter = parameter
        self.message = message
        self.method = method
        where = f"{method}: " if method else ""
        detail = f" ({parameter})" if parameter else ""
        super().__init__(f"{where}engine error {code}: {message or 'no message'}{detail}")


class ConnectionLostError(EngineClientError):
    """The socket closed while the request was pending or before it could be sent."""

    def __init__(self, code: int | None, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"the engine connection closed (code {code}) {reason}".rstrip())


class RequestTimeoutError(EngineClientError):
    """No answer arrived within the request timeout."""


class ProtocolViolationError(EngineClientError):
    """The engine's answer could not be understood (bad frame, delta patch that does not fit)."""


class SessionSuspendedError(EngineClientError):
    """The session is suspended: calls fail fast until `resume()` succeeds."""


class SessionClosedError(EngineClientError):
    """The session is closed for good; `classification` says why."""

    def __init__(self, classification: CloseClassification, message: str = "") -> None:
        self.classification = classification
        super().__init__(message or f"the engine session is closed ({classification.reason_key})")


class EngineConnectError(EngineClientError):
    """The websocket could not be opened; `classification` says whether retrying can help."""

    def __init__(self, classification: CloseClassification, message: str) -> None:
        self.classification = classification
        super().__init__(message)


class NotAttachedError(EngineClientError):
    """`resume(only_if_attached=True)` found a new engine session instead of the old one."""
