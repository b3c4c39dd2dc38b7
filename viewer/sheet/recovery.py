"""One recovery attempt, from the action the state machine asked for to the event that tells
it how the attempt ended: the action is performed under the attempt's backstop deadline (every
step has its own, in viewer.sheet.connect; a person signing in takes the time they need), and a
failure is classified once — the tenant wants a sign-in (`AuthRequired`), or the attempt failed
with a cause (`RecoveryFailed`), the machine then plans the next one.

What the attempt acts on is given as `RecoverySteps`: a sheet's own (`SheetController`), or a
display without a page (the fleet bench)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from viewer.auth.errors import AuthError, SessionExpired, SignInRequired
from viewer.core import state as vs
from viewer.engine.errors import EngineClientError
from viewer.log import emit, get_logger
from viewer.sheet.connect import failure_cause

_log = get_logger("app")

Step = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class RecoverySteps:
    """What each action does, and where its outcome goes (`feed`); `was_live()` tells whether
    the sheet has been LIVE before (a sign-in it asks for is then a sign-in *again*)."""

    resume: Step
    reload_sheet: Step
    renew: Step  # a silent sign-in again
    sign_in: Step  # an interactive sign-in
    drop_session: Step  # close the engine session on purpose (no news for the machine)
    feed: Callable[[vs.Event], None]
    was_live: Callable[[], bool]


async def run_recovery(
    steps: RecoverySteps, action: vs.RecoveryAction, limit_s: float | None
) -> None:
    """Perform `action` and feed its outcome. Cancellation (a newer action, a close) passes
    through; any other failure ends in an event, so an attempt is never left "under way"."""
    limit = None if action is vs.RecoveryAction.PROMPT_SIGN_IN else limit_s
    try:
        async with asyncio.timeout(limit):
            await _perform(steps, action)
    except asyncio.CancelledError:
        raise
    except (SignInRequired, SessionExpired):
        # The server says the session is gone: the stored grant is already discarded
        # (AuthSession), and a sign-in is due until someone signs in.
        await steps.drop_session()
        steps.feed(vs.AuthRequired("auth.sign_in" if not steps.was_live() else "auth.required"))
    except (AuthError, EngineClientError, OSError, TimeoutError) as error:
        await steps.drop_session()
        cause = failure_cause(error)
        emit(_log, "recovery.failed", level=logging.WARNING, action=action.value,
             error=type(error).__name__, message=str(error),
             cause=cause.reason_key if cause is not None else None)  # fmt: skip
        steps.feed(vs.RecoveryFailed(cause=cause))
    except Exception:
        # A bug must not leave a wall display stuck with an attempt "under way" forever:
        # say so loudly, and let the state machine plan the next attempt.
        _log.exception("recovery %s failed unexpectedly", action.value)
        await steps.drop_session()
        steps.feed(vs.RecoveryFailed())


async def _perform(steps: RecoverySteps, action: vs.RecoveryAction) -> None:
    match action:
        case vs.RecoveryAction.RESUME:
            await steps.resume()
        case vs.RecoveryAction.RELOAD_SHEET:
            await steps.reload_sheet()
        case vs.RecoveryAction.REAUTH_SILENT:
            await steps.renew()
            steps.feed(vs.SignInDone())
        case vs.RecoveryAction.PROMPT_SIGN_IN:
            await steps.sign_in()
            steps.feed(vs.SignInDone())
