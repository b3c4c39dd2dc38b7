"""`qseow-jwt` and `anonymous` against the simulated client-managed site's JWT and anonymous
virtual proxies (not only on MockTransport): the grant's cookie opens the engine socket and
serves QRS; a JWT the proxy does not trust is refused with the viewer's message."""

from __future__ import annotations

import io
from typing import Any

import pytest
from authsim import IDENTITY, assert_no_secret, drive, in_sim, qseow_profile, sim_state

from viewer.auth.errors import CredentialsRejected
from viewer.auth.factory import strategy_for
from viewer.config.models import ViewerConfig
from viewer.config.tenant_urls import tenant_engine_url
from viewer.core.grant import SessionGrant
from viewer.engine.connection import SessionConfig
from viewer.engine.session import Session
from viewer.sim.server import RunningSim

pytestmark = pytest.mark.integration

_NO_QPS: dict[str, Any] = {
    "qps_url": None,
    "client_cert": None,
    "client_key": None,
    "ca_cert": None,
}


async def _open_doc_title(sim: RunningSim, config: ViewerConfig, grant: SessionGrant) -> str:
    """Open the app on the engine URL the viewer builds for this profile (prefix included)."""
    app_id = sim.ready["apps"][0]["id"]
    url = tenant_engine_url(config.tenant, IDENTITY, grant.csrf_token)
    session = Session(url, grant, SessionConfig())
    try:
        doc = await (await session.open()).open_doc(app_id)
        return str((await doc.get_app_layout())["qTitle"])
    finally:
        await session.close()


def test_qseow_jwt_signs_in_on_the_jwt_virtual_proxy(log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        jwt = sim.ready["credentials"]["jwt_auth"]
        config = qseow_profile(
            sim, mode="qseow-jwt", prefix=jwt["prefix"], private_key=f"file:{jwt['private_key_path']}",
            user_id="carol", user_directory="SIM", algorithm=jwt["algorithm"], **_NO_QPS,
        )  # fmt: skip
        strategy = strategy_for(config, IDENTITY)
        grant = await drive(strategy, strategy.authenticate())
        assert jwt["session_cookie"] in [c.name for c in grant.cookies]
        assert await _open_doc_title(sim, config, grant) == "Sales"
        state = await sim_state(sim)
        assert state["users"]["SIM\\carol"] == {"proxy_sessions": 1, "engine_sessions": 1}
        assert_no_secret(
            log_output, *(c.value for c in grant.cookies), grant.headers["Authorization"]
        )

    in_sim(main, flavor="qseow")


def test_a_jwt_signed_with_another_key_is_refused(tmp_path: Any) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = tmp_path / "other.pem"
    other.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    async def main(sim: RunningSim) -> None:
        jwt = sim.ready["credentials"]["jwt_auth"]
        config = qseow_profile(
            sim, mode="qseow-jwt", prefix=jwt["prefix"], private_key=f"file:{other}",
            user_id="carol", user_directory="SIM", **_NO_QPS,
        )  # fmt: skip
        strategy = strategy_for(config, IDENTITY)
        with pytest.raises(CredentialsRejected, match="did not accept the JWT"):
            await drive(strategy, strategy.authenticate())

    in_sim(main, flavor="qseow")


def test_anonymous_gets_a_session_on_the_anonymous_virtual_proxy() -> None:
    async def main(sim: RunningSim) -> None:
        anonymous = sim.ready["credentials"]["anonymous"]
        config = qseow_profile(
            sim, mode="anonymous", prefix=anonymous["prefix"], user_id=None, user_directory=None,
            **_NO_QPS,
        )  # fmt: skip
        strategy = strategy_for(config, IDENTITY)
        grant = await drive(strategy, strategy.authenticate())
        assert await _open_doc_title(sim, config, grant) == "Sales"
        state = await sim_state(sim)
        (user,) = [name for name in state["users"] if name.startswith("ANONYMOUS\\")]
        assert state["users"][user]["engine_sessions"] == 1

    in_sim(main, flavor="qseow")
