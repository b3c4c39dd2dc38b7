"""A proxy that authenticates every request by a header (or a JWT) starts a new proxy session
when the session cookie it is sent has gone stale, and sets the new cookie on whatever reply it
gives, the engine's websocket upgrade included. The connect path keeps that cookie: the next
socket, the view and REST calls share the new session instead of each starting another one
(five sessions per user is the site's limit)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from authsim import (
    IDENTITY,
    assert_no_secret,
    header_profile,
    in_sim,
    sim_fault,
    sim_state,
)

from viewer.auth.factory import strategy_for
from viewer.auth.session import AuthSession
from viewer.auth.store import GrantStore
from viewer.sheet.connect import ConnectPath, session_config
from viewer.sheet.target import SheetTarget
from viewer.sim.server import RunningSim

pytestmark = pytest.mark.integration


def _proxy_sessions(state: dict[str, object]) -> list[dict[str, object]]:
    sessions = state["proxy_sessions"]
    assert isinstance(sessions, list)
    return sessions


def test_a_session_started_by_the_engine_handshake_is_kept(
    tmp_path: Path, log_output: io.StringIO
) -> None:
    async def main(sim: RunningSim) -> None:
        config = header_profile(sim)
        auth = AuthSession(strategy_for(config, IDENTITY), GrantStore(tmp_path / "grant.json"))
        changes: list[None] = []
        path = ConnectPath(
            auth, config, IDENTITY, session_config(config.network),
            grant_changed=lambda: changes.append(None),
        )  # fmt: skip
        target = SheetTarget(config.tenant.app_id or "")
        first = await path.connect(target, lambda _event: None)
        await first.session.close()
        signed_in = [c.value for c in first.grant.cookies]

        await sim_fault(sim, kind="expire")  # the proxy session ends: the cookie is stale
        assert _proxy_sessions(await sim_state(sim)) == []

        again = await path.connect(target, lambda _event: None)
        await again.session.close()
        kept = auth.current
        assert kept is not None
        assert kept is again.grant
        assert [c.value for c in kept.cookies] != signed_in  # the handshake's new session
        assert len(_proxy_sessions(await sim_state(sim))) == 1
        assert len(changes) == 1  # the view is told to join the handshake's session

        for _ in range(3):  # later sockets ride on that session instead of starting others
            later = await path.connect(target, lambda _event: None)
            await later.session.close()
        assert len(_proxy_sessions(await sim_state(sim))) == 1
        assert len(changes) == 1  # nothing new to join
        reread = GrantStore(tmp_path / "grant.json").load(
            base_url=config.tenant.base_url, identity=IDENTITY
        )
        assert reread is not None
        assert reread.cookies == kept.cookies  # the next start too
        assert_no_secret(log_output, *signed_in, *(c.value for c in kept.cookies))

    in_sim(main, flavor="qseow")
